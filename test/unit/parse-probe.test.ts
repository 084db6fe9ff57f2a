import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProbe } from "../../src/jobs/media/parse-probe.js";

// `ffprobe -v error -print_format json -show_format -show_streams` of real files (ffmpeg 5.1), trimmed to the keys read.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/media/ffprobe-${name}.json`, import.meta.url), "utf8");

describe("parseProbe", () => {
  it("reads a video's duration, its video stream's size and codec and its audio stream", () => {
    expect(parseProbe(fixture("video"))).toEqual({
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
      durationSeconds: 3,
      video: { index: 0, codec: "h264", width: 640, height: 480, rotation: 0, displayWidth: 640, displayHeight: 480 },
      audio: { codec: "aac", sampleRate: 44100, channels: 1 },
    });
  });

  it("swaps the displayed width and height of a video turned a quarter by its display matrix", () => {
    expect(parseProbe(fixture("rotated-video")).video).toEqual({ index: 0, codec: "h264", width: 640, height: 480, rotation: 90, displayWidth: 480, displayHeight: 640 });
  });

  it("reads a rotate tag (older ffmpeg) and either sign of a matrix's rotation as the same quarter turns", () => {
    const withStream = (stream: object) => JSON.stringify({ streams: [{ index: 0, codec_type: "video", codec_name: "h264", width: 1920, height: 1080, ...stream }], format: { format_name: "mov", duration: "1" } });
    expect(parseProbe(withStream({ tags: { rotate: "270" } })).video).toMatchObject({ rotation: 270, displayWidth: 1080, displayHeight: 1920 });
    expect(parseProbe(withStream({ side_data_list: [{ side_data_type: "Display Matrix", rotation: -90 }] })).video).toMatchObject({ rotation: 270, displayHeight: 1920 });
    expect(parseProbe(withStream({ side_data_list: [{ side_data_type: "Display Matrix", rotation: 180 }] })).video).toMatchObject({ rotation: 180, displayHeight: 1080 });
  });

  it("does not take cover art (an attached picture) for a video", () => {
    const probe = parseProbe(fixture("audio-with-cover"));
    expect(probe.video).toBeNull();
    expect(probe.audio).toMatchObject({ codec: "mp3" });
    // With the cover first, the video is the stream after it.
    const coverFirst = JSON.parse(fixture("audio-with-cover"));
    coverFirst.streams.reverse().push({ index: 2, codec_type: "video", codec_name: "h264", width: 320, height: 240 });
    expect(parseProbe(JSON.stringify(coverFirst)).video).toMatchObject({ index: 2, codec: "h264" });
    expect(probe.durationSeconds).toBeCloseTo(1.04, 1);
  });

  it("gives a still image a video stream but no duration", () => {
    const probe = parseProbe(fixture("still-image"));
    expect(probe.video).toMatchObject({ codec: "png", width: 64, height: 48 });
    expect(probe.durationSeconds).toBeNull();
    expect(probe.audio).toBeNull();
  });

  it("falls back on a stream's duration when the container has none, and reads N/A as unknown", () => {
    const json = JSON.stringify({ streams: [{ index: 0, codec_type: "audio", codec_name: "opus", duration: "2.5" }], format: { format_name: "ogg", duration: "N/A" } });
    expect(parseProbe(json).durationSeconds).toBe(2.5);
  });

  it("refuses what is not ffprobe's JSON, and the empty object ffprobe prints for a file it cannot read", () => {
    expect(() => parseProbe("Invalid data found when processing input")).toThrow("ffprobe's output is not JSON");
    expect(() => parseProbe("{\n\n}")).toThrow("ffprobe found no container format");
    expect(() => parseProbe('{"streams": "none", "format": {}}')).toThrow(/unexpected shape/);
  });
});
