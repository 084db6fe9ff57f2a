import { describe, expect, it } from "vitest";
import { createFfmpegProgressParser, encodedFraction } from "../../src/jobs/media/ffmpeg-progress.js";

// As `ffmpeg -progress pipe:1` writes it (ffmpeg 5.1), a block at a time.
const output = `frame=0
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=48
out_time_us=N/A
out_time_ms=N/A
out_time=N/A
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=17
fps=0.00
stream_0_0_q=0.0
bitrate=   0.5kbits/s
total_size=48
out_time_us=719819
out_time_ms=719819
out_time=00:00:00.719819
dup_frames=0
drop_frames=0
speed= 1.5x
progress=continue
frame=75
fps=0.00
stream_0_0_q=-1.0
bitrate=  70.1kbits/s
total_size=26303
out_time_us=3000000
out_time_ms=3000000
out_time=00:00:03.000000
dup_frames=0
drop_frames=0
speed=12.3x
progress=end`;

function blocksOf(text: string) {
  const parser = createFfmpegProgressParser();
  return text.split("\n").map((line) => parser.push(line)).filter((block) => block !== null);
}

describe("createFfmpegProgressParser", () => {
  it("returns one block per progress= line, with the encoded time, frame and speed", () => {
    expect(blocksOf(output)).toEqual([
      { outTimeUs: null, frame: 0, speed: null, end: false },
      { outTimeUs: 719_819, frame: 17, speed: 1.5, end: false },
      { outTimeUs: 3_000_000, frame: 75, speed: 12.3, end: true },
    ]);
  });

  it("returns nothing until a block ends, and a block spans any number of pushes", () => {
    const parser = createFfmpegProgressParser();
    expect(parser.push("out_time_us=500000")).toBeNull();
    expect(parser.push("")).toBeNull();
    expect(parser.push("not a key value line")).toBeNull();
    expect(parser.push("progress=continue")).toEqual({ outTimeUs: 500_000, frame: null, speed: null, end: false });
    // Each block starts afresh: a key of the previous one does not leak into it.
    expect(parser.push("progress=continue")).toEqual({ outTimeUs: null, frame: null, speed: null, end: false });
  });

  it("reads a negative or non-numeric out_time_us as unknown (ffmpeg prints INT64_MIN before the first packet)", () => {
    expect(blocksOf("out_time_us=-9223372036854775807\nprogress=continue")[0]!.outTimeUs).toBeNull();
    expect(blocksOf("out_time_us=12abc\nprogress=continue")[0]!.outTimeUs).toBeNull();
    expect(blocksOf("out_time_us=99999999999999999999\nprogress=continue")[0]!.outTimeUs).toBeNull();
  });
});

describe("encodedFraction", () => {
  it("is the encoded time over the duration, within 0..1", () => {
    expect(encodedFraction(1_500_000, 3)).toBe(0.5);
    expect(encodedFraction(3_100_000, 3)).toBe(1);
    expect(encodedFraction(0, 3)).toBe(0);
  });

  it("is 0 while the time or the duration is unknown", () => {
    expect(encodedFraction(null, 3)).toBe(0);
    expect(encodedFraction(1_000_000, null)).toBe(0);
    expect(encodedFraction(1_000_000, 0)).toBe(0);
  });
});
