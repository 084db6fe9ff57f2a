import { describe, expect, it } from "vitest";
import { isExpired, slidesOf, viewOfArtifacts, type ArtifactLink } from "../../src/web/dashboard/jobs/artifact-view.js";

const now = Date.parse("2030-01-01T12:00:00.000Z");
const later = "2030-01-08T12:00:00.000Z";
const earlier = "2029-12-31T12:00:00.000Z";

let next = 0;
const artifact = (name: string, contentType: string, expiresAt: string | null = later): ArtifactLink => ({
  id: `id-${++next}`,
  name,
  contentType,
  size: 1000,
  url: `http://localhost:4000/artifacts/${name}?expires=1&sig=x`,
  createdAt: "2030-01-01T11:00:00.000Z",
  expiresAt,
});
const names = (list: readonly ArtifactLink[]) => list.map((a) => a.name);

describe("viewOfArtifacts", () => {
  it("plays a transcoded video with the job's poster, which is not shown again as an image", () => {
    const video = artifact("video.mp4", "video/mp4");
    const poster = artifact("poster.jpg", "image/jpeg");
    const view = viewOfArtifacts([poster, video], now);
    expect(view.videos).toEqual([{ video, poster }]);
    expect(view.images).toEqual([]);
    expect(names(view.downloads)).toEqual(["poster.jpg", "video.mp4"]);
  });

  it("prefers a poster named after its video", () => {
    const a = artifact("a.mp4", "video/mp4");
    const b = artifact("b.webm", "video/webm");
    const aPoster = artifact("a.poster.jpg", "image/jpeg");
    const bPoster = artifact("b.png", "image/png");
    const view = viewOfArtifacts([a, b, aPoster, bPoster], now);
    expect(view.videos).toEqual([
      { video: a, poster: aPoster },
      { video: b, poster: bPoster },
    ]);
  });

  it("plays speech in an audio player (by its type, parameters aside) and lists every file for download", () => {
    const speech = artifact("speech.ogg", "audio/ogg; codecs=opus");
    const view = viewOfArtifacts([speech], now);
    expect(view.audios).toEqual([speech]);
    expect(view.videos).toEqual([]);
    expect(view.downloads).toEqual([speech]);
  });

  it("finds a slide deck and leaves the slides' own audio to the slide list", () => {
    const list = [artifact("slides.json", "application/json"), artifact("slides.html", "text/html; charset=utf-8"), artifact("slide-01.mp3", "audio/mpeg"), artifact("slide-02.mp3", "audio/mpeg")];
    const view = viewOfArtifacts(list, now, new Set(["slide-01.mp3", "slide-02.mp3"]));
    expect(view.deck?.name).toBe("slides.html");
    expect(view.slidesJson?.name).toBe("slides.json");
    expect(view.audios).toEqual([]);
    expect(names(view.downloads)).toEqual(["slide-01.mp3", "slide-02.mp3", "slides.html", "slides.json"]);
  });

  it("never shows an SVG as an image (it is a document), only as a download", () => {
    const view = viewOfArtifacts([artifact("chart.svg", "image/svg+xml")], now);
    expect(view.images).toEqual([]);
    expect(names(view.downloads)).toEqual(["chart.svg"]);
  });

  it("keeps expired files out of the players and downloads, and names them", () => {
    const gone = artifact("video.mp4", "video/mp4", earlier);
    const kept = artifact("notes.txt", "text/plain", null);
    const view = viewOfArtifacts([gone, kept], now);
    expect(view.videos).toEqual([]);
    expect(view.downloads).toEqual([kept]);
    expect(view.expired).toEqual([gone]);
    expect(isExpired({ expiresAt: null }, now)).toBe(false);
    expect(isExpired({ expiresAt: "2030-01-01T12:00:00.000Z" }, now)).toBe(true);
  });
});

describe("slidesOf", () => {
  const audio1 = artifact("slide-01.mp3", "audio/mpeg");
  const audio2 = artifact("slide-02.mp3", "audio/mpeg");

  it("reads slides.json as slides.generate writes it: titles in order, each with its audio artifact", () => {
    const json = {
      title: "Tides",
      topic: "tides",
      slides: [
        { number: 1, title: "What a tide is", bullets: ["a"], script: "…", audio: { name: "slide-01.mp3", contentType: "audio/mpeg", durationMs: 1000 } },
        { number: 2, title: "The moon", bullets: [], script: "…", audio: { name: "slide-02.mp3", contentType: "audio/mpeg", durationMs: 900 } },
        { number: 3, title: "No audio kept", bullets: [], script: "…", audio: { name: "slide-03.mp3" } },
      ],
    };
    expect(slidesOf(json, [audio1, audio2])).toEqual({
      title: "Tides",
      slides: [
        { number: 1, title: "What a tide is", audio: audio1 },
        { number: 2, title: "The moon", audio: audio2 },
        { number: 3, title: "No audio kept" },
      ],
    });
  });

  it("is null for a file that is no deck", () => {
    for (const json of [null, [], { slides: "no" }, { slides: [{ number: 1 }] }, "text"]) expect(slidesOf(json, [])).toBeNull();
    expect(slidesOf({ slides: [{ title: "Only a title" }] }, [])).toEqual({ title: null, slides: [{ number: 1, title: "Only a title" }] });
  });
});
