// What espeak-ng offers, as the speech contract lets a client pick it. Pure data: gateways import it.

/**
 * Languages (espeak-ng voice names, as `espeak-ng --voices` lists them) the
 * speech types accept: the widely spoken ones espeak-ng 1.51 (Debian 12)
 * ships. Any other name in that list works too once added here.
 */
export const speechVoices = [
  "en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029",
  "de", "fr-fr", "fr-be", "es", "es-419", "it", "pt", "pt-br", "nl",
  "sv", "da", "nb", "fi", "pl", "cs", "sk", "ru", "uk", "el", "tr", "hu", "ro", "bg", "hr", "sr",
  "hi", "bn", "ta", "cmn", "yue", "ja", "ko", "ar", "he", "fa", "vi", "id", "ms", "sw",
  "eo", "la", "cy", "ga",
] as const;

/** espeak-ng's voice variants (`espeak-ng --voices=variant`): male m1–m7, female f1–f5, and two effects. */
export const speechVariants = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "croak", "whisper"] as const;

/** espeak-ng's speed range in words per minute (`-s`; espeakRATE_MINIMUM and espeakRATE_MAXIMUM), and its default. */
export const speechSpeed = { min: 80, max: 450, default: 175 } as const;

/** The audio files the speech types write: Ogg Opus by default, MP3 where a player needs it. */
export const speechFormatNames = ["ogg", "mp3"] as const;

export const speechFormats = {
  ogg: { extension: "ogg", contentType: "audio/ogg" },
  mp3: { extension: "mp3", contentType: "audio/mpeg" },
} as const satisfies Record<(typeof speechFormatNames)[number], { extension: string; contentType: string }>;

export type SpeechVoice = (typeof speechVoices)[number];
export type SpeechVariant = (typeof speechVariants)[number];
export type SpeechFormat = (typeof speechFormatNames)[number];
