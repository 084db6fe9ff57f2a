import { createReadStream } from "node:fs";
import { defineHandler } from "../handler.js";
import { speechBinaries, synthesizeSpeech } from "../media/synthesize-speech.js";
import { speechSynthesize } from "../types/speech-synthesize.js";

export default defineHandler(
  speechSynthesize,
  async ({ params, signal, progress, workDir, artifacts }) => {
    const speech = await synthesizeSpeech({ ...params, workDir, signal, onProgress: progress });
    // Only a complete file becomes an artifact; an attempt aborted meanwhile leaves its file to the work directory's removal.
    signal.throwIfAborted();
    const artifact = await artifacts.write(`speech.${speech.format}`, createReadStream(speech.path), { contentType: speech.contentType });
    return {
      artifact: { id: artifact.id, name: artifact.name, contentType: artifact.contentType, size: artifact.size },
      durationMs: speech.durationMs,
      sentences: speech.sentences,
      voice: params.voice,
      variant: params.variant ?? null,
      speed: params.speed,
      format: speech.format,
    };
  },
  { requires: speechBinaries },
);
