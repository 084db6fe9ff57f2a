/**
 * A job's artifacts as the page shows them: which play in a video or audio
 * player (a video with its poster image), which make a slide deck
 * (slides.html to open, slides.json for its titles, each slide's audio),
 * and the download list of every file. Pure: no DOM, no I/O.
 */

export interface ArtifactLink {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** A signed link that expires (Artifact.url): read again when the files are shown again. */
  url: string;
  createdAt: string;
  expiresAt?: string | null;
}

export interface SlideEntry {
  number: number;
  title: string;
  /** The slide's audio file, when slides.json names one among the artifacts. */
  audio?: ArtifactLink;
}

export interface ArtifactView {
  videos: { video: ArtifactLink; poster?: ArtifactLink }[];
  /** Audio files that are no slide's (a slide's plays beside its title). */
  audios: ArtifactLink[];
  /** Images that are no video's poster. */
  images: ArtifactLink[];
  /** slides.html: a deck that needs nothing else, to download and open. */
  deck?: ArtifactLink;
  /** slides.json: read for its titles. */
  slidesJson?: ArtifactLink;
  /** Every file that can still be downloaded, by name. */
  downloads: ArtifactLink[];
  /** Files the retention sweep has removed (their records stay). */
  expired: ArtifactLink[];
}

const essence = (contentType: string) => contentType.split(";", 1)[0]!.trim().toLowerCase();
const baseName = (name: string) => name.replace(/\.[^.]*$/, "");

/** Whether the retention sweep has removed the file (or is due to). */
export const isExpired = (artifact: Pick<ArtifactLink, "expiresAt">, now: number) =>
  artifact.expiresAt !== null && artifact.expiresAt !== undefined && Date.parse(artifact.expiresAt) <= now;

/**
 * A video's poster: the image named after it (`clip.jpg`, `clip.poster.jpg`
 * for `clip.mp4`), else the job's `poster.*` (video.transcode writes
 * video.mp4 and poster.jpg).
 */
function posterOf(video: ArtifactLink, images: readonly ArtifactLink[]): ArtifactLink | undefined {
  const base = baseName(video.name);
  return (
    images.find((image) => baseName(image.name) === base || baseName(image.name) === `${base}.poster`) ??
    images.find((image) => baseName(image.name) === "poster")
  );
}

export function viewOfArtifacts(artifacts: readonly ArtifactLink[], now: number, slideAudio: ReadonlySet<string> = new Set()): ArtifactView {
  const byName = [...artifacts].sort((a, b) => a.name.localeCompare(b.name));
  const available = byName.filter((artifact) => !isExpired(artifact, now));
  const images = available.filter((artifact) => {
    const type = essence(artifact.contentType);
    return type.startsWith("image/") && type !== "image/svg+xml";
  });
  const videos = available.filter((artifact) => essence(artifact.contentType).startsWith("video/")).map((video) => ({ video, poster: posterOf(video, images) }));
  const posters = new Set(videos.flatMap(({ poster }) => (poster ? [poster.id] : [])));
  return {
    videos,
    audios: available.filter((artifact) => essence(artifact.contentType).startsWith("audio/") && !slideAudio.has(artifact.name)),
    images: images.filter((image) => !posters.has(image.id)),
    deck: available.find((artifact) => artifact.name === "slides.html"),
    slidesJson: available.find((artifact) => artifact.name === "slides.json"),
    downloads: available,
    expired: byName.filter((artifact) => isExpired(artifact, now)),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The slides of a slides.json (slides.generate: `{ title, slides: [{ number,
 * title, audio: { name } }] }`), each with its audio among `artifacts`;
 * null when the file is not such a deck.
 */
export function slidesOf(json: unknown, artifacts: readonly ArtifactLink[]): { title: string | null; slides: SlideEntry[] } | null {
  if (!isRecord(json) || !Array.isArray(json.slides)) return null;
  const slides: SlideEntry[] = [];
  for (const [index, slide] of json.slides.entries()) {
    if (!isRecord(slide) || typeof slide.title !== "string") return null;
    const audioName = isRecord(slide.audio) && typeof slide.audio.name === "string" ? slide.audio.name : null;
    const audio = audioName === null ? undefined : artifacts.find((artifact) => artifact.name === audioName);
    slides.push({ number: Number.isInteger(slide.number) ? (slide.number as number) : index + 1, title: slide.title, ...(audio ? { audio } : {}) });
  }
  return { title: typeof json.title === "string" ? json.title : null, slides };
}

/** A media type for people: "video/mp4" stays, "text/html; charset=utf-8" → "text/html". */
export const typeLabel = essence;
