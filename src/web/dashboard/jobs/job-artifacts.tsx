import { useEffect, useMemo, useState } from "preact/hooks";
import { JobArtifactsQuery } from "../api/operations.js";
import { formatBytes, messageOf, shortId } from "../format.js";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { slidesOf, typeLabel, viewOfArtifacts, type ArtifactLink, type SlideEntry } from "./artifact-view.js";

/** How long the links asked for live: an open panel offers to read them again before they expire. */
export const linkLifeSeconds = 3_600;
// Read again this long before they expire, so a player started just before does not meet a 403.
const staleMarginMs = 60_000;

type Read = { kind: "reading" } | { kind: "failed"; message: string } | { kind: "read"; artifacts: ArtifactLink[]; linksUntil: number };

type DeckRead = { kind: "none" } | { kind: "reading" } | { kind: "failed"; message: string } | { kind: "read"; json: unknown };
type Deck = Exclude<DeckRead, { kind: "read" }> | { kind: "read"; title: string | null; slides: SlideEntry[] };

const inline = (artifact: ArtifactLink) => /^(audio|video|image)\//.test(artifact.contentType);

/**
 * A succeeded job's files: players for its audio and video (the video with
 * its poster), its slide deck (slides.html to open, the titles from
 * slides.json, each slide's audio), and a download link for each file.
 * Links are signed and expire, so they are read when the panel opens, and
 * again with "Refresh links" once they are about to expire.
 */
export function JobArtifacts({ jobId, jobType }: { jobId: string; jobType: string }) {
  const { request } = useSession();
  const [read, setRead] = useState<Read>({ kind: "reading" });
  const [deckRead, setDeck] = useState<DeckRead>({ kind: "none" });
  const [stale, setStale] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    setRead((r) => (r.kind === "read" ? r : { kind: "reading" }));
    const askedAt = Date.now();
    request(JobArtifactsQuery, { id: jobId, expiresInSeconds: linkLifeSeconds })
      .then((data) => {
        if (!current) return;
        setStale(false);
        setRead({ kind: "read", artifacts: data.job?.artifacts ?? [], linksUntil: askedAt + linkLifeSeconds * 1000 });
      })
      .catch((err) => current && setRead({ kind: "failed", message: `Could not read the files: ${messageOf(err)}` }));
    return () => {
      current = false;
    };
  }, [request, jobId, round]);

  const linksUntil = read.kind === "read" ? read.linksUntil : null;
  useEffect(() => {
    if (linksUntil === null) return;
    const timer = setTimeout(() => setStale(true), Math.max(0, linksUntil - staleMarginMs - Date.now()));
    return () => clearTimeout(timer);
  }, [linksUntil]);

  const artifacts = read.kind === "read" ? read.artifacts : null;
  const slidesJson = artifacts?.find((artifact) => artifact.name === "slides.json");
  // slides.json is read once per panel: its titles do not change when the links do (its slides' audio links do).
  const slidesJsonId = slidesJson?.id;
  useEffect(() => {
    if (!slidesJson) {
      setDeck({ kind: "none" });
      return;
    }
    let current = true;
    setDeck({ kind: "reading" });
    readLinked(slidesJson.url)
      .then(async (response) => {
        if (!response.ok) throw new Error(`the link answered ${response.status}`);
        const json: unknown = await response.json();
        if (current) setDeck({ kind: "read", json });
      })
      .catch((err) => current && setDeck({ kind: "failed", message: `Could not read the slides' titles: ${messageOf(err)}` }));
    return () => {
      current = false;
    };
  }, [slidesJsonId]);
  const deck = useMemo<Deck>(() => {
    if (deckRead.kind !== "read") return deckRead;
    const slides = slidesOf(deckRead.json, artifacts ?? []);
    return slides ? { kind: "read", ...slides } : { kind: "failed", message: "slides.json is not a slide deck" };
  }, [deckRead, artifacts]);

  const slideAudio = useMemo(() => new Set(deck.kind === "read" ? deck.slides.flatMap((slide) => (slide.audio ? [slide.audio.name] : [])) : []), [deck]);
  const view = useMemo(() => (artifacts ? viewOfArtifacts(artifacts, Date.now(), slideAudio) : null), [artifacts, slideAudio]);

  const titleId = `files-title-${jobId}`;
  return (
    <section class="artifacts" aria-labelledby={titleId} aria-busy={read.kind === "reading"}>
      <h3 id={titleId}>
        Files of {jobType} {shortId(jobId)}
        {linksUntil !== null ? <span class="muted small"> · links valid until {new Date(linksUntil).toLocaleTimeString()}</span> : null}
      </h3>
      {read.kind === "reading" ? <p class="muted small">Reading the files…</p> : null}
      <Alert text={read.kind === "failed" ? read.message : null} />
      {stale ? (
        <p class="msg small stale-links" role="status">
          These links are about to expire.{" "}
          <button type="button" class="secondary small-button" onClick={() => setRound((r) => r + 1)}>
            Refresh links
          </button>
        </p>
      ) : null}
      {view && view.downloads.length === 0 && view.expired.length === 0 ? <p class="muted small">This job wrote no files.</p> : null}
      {view?.videos.map(({ video, poster }) => (
        <figure class="media" key={video.id}>
          {/* Metadata only until played: the browser reads the duration and the first frame's size, not the whole file. */}
          <video controls preload="metadata" src={video.url} poster={poster?.url} data-artifact={video.name} aria-label={`${video.name} of job ${shortId(jobId)}`} />
          <figcaption class="small muted">
            {video.name} · {formatBytes(video.size)}
          </figcaption>
        </figure>
      ))}
      {view?.audios.map((audio) => (
        <figure class="media" key={audio.id}>
          <audio controls preload="metadata" src={audio.url} data-artifact={audio.name} aria-label={`${audio.name} of job ${shortId(jobId)}`} />
          <figcaption class="small muted">
            {audio.name} · {formatBytes(audio.size)}
          </figcaption>
        </figure>
      ))}
      {view?.images.map((image) => (
        <figure class="media" key={image.id}>
          <img src={image.url} alt={image.name} data-artifact={image.name} />
          <figcaption class="small muted">{image.name}</figcaption>
        </figure>
      ))}
      {view?.deck || slidesJson ? <SlideDeck deck={deck} deckFile={view?.deck} /> : null}
      {view && view.downloads.length > 0 ? (
        <ul class="files small">
          {view.downloads.map((artifact) => (
            <li key={artifact.id} data-artifact={artifact.name}>
              {/* Audio, video and images open inline (in a new tab: this page keeps playing); anything else downloads. */}
              <a href={artifact.url} download={artifact.name} {...(inline(artifact) ? { target: "_blank", rel: "noopener noreferrer" } : {})}>
                {artifact.name}
              </a>
              <span class="muted">
                {" "}
                {typeLabel(artifact.contentType)} · {formatBytes(artifact.size)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {view && view.expired.length > 0 ? (
        <p class="muted small">
          Expired, removed by the retention policy: {view.expired.map((artifact) => artifact.name).join(", ")}.
        </p>
      ) : null}
    </section>
  );
}

/**
 * Reads a file through its link. The gateway's own links
 * (`…/artifacts/<id>?expires=…&sig=…`) are under PUBLIC_URL, which may be
 * another name of this page's gateway (unset: http://localhost:<port>,
 * while the page is opened as 127.0.0.1), and they answer no CORS read:
 * the same signed path is read from this page's origin, the same gateway.
 * Any other link (S3's presigned ones) is read as it is.
 */
function readLinked(url: string): Promise<Response> {
  const link = new URL(url, location.href);
  const gatewayLink = /\/artifacts\/[0-9a-f-]{36}$/i.test(link.pathname) && link.searchParams.has("sig") && link.searchParams.has("expires");
  const target = gatewayLink && link.origin !== location.origin ? `${location.origin}${link.pathname}${link.search}` : link.href;
  return fetch(target, { credentials: "omit" });
}

function SlideDeck({ deck, deckFile }: { deck: Deck; deckFile: ArtifactLink | undefined }) {
  return (
    <div class="slides">
      <div class="card-head">
        <h4>{deck.kind === "read" && deck.title ? `Slides: ${deck.title}` : "Slides"}</h4>
        {deckFile ? (
          // The deck carries its audio inside it and runs from the disk: the gateway sends it as a download.
          <a class="button-link" href={deckFile.url} download={deckFile.name}>
            Download the deck ({deckFile.name}, {formatBytes(deckFile.size)})
          </a>
        ) : null}
      </div>
      {deck.kind === "reading" ? <p class="muted small">Reading the slides' titles…</p> : null}
      {deck.kind === "failed" ? <p class="muted small">{deck.message}</p> : null}
      {deck.kind === "read" ? (
        <ol class="slide-list">
          {deck.slides.map((slide) => (
            <li key={slide.number} data-slide={slide.number}>
              <span class="slide-title">{slide.title}</span>
              {slide.audio ? <audio controls preload="none" src={slide.audio.url} data-artifact={slide.audio.name} aria-label={`Audio of slide ${slide.number}: ${slide.title}`} /> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
