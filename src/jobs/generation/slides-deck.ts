import type { Slide } from "./slides-prompt.js";

export interface DeckSlide extends Slide {
  audio: {
    /** The audio file's artifact name (slide-01.mp3), as slides.json lists it. */
    name: string;
    contentType: string;
    durationMs: number;
    /** The audio itself, base64: the deck carries it as a data: URI. */
    base64: string;
  };
}

export interface Deck {
  title: string;
  /** The language tag it is written in (the page's `lang`). */
  language: string;
  /** Who wrote it: the chat model, or the offline generator's note. */
  writtenBy: string;
  slides: DeckSlide[];
}

/**
 * The deck as one HTML page that needs nothing else: each slide's audio is
 * inside it as a data: URI. Artifacts reach their owner through signed
 * links, one per file, and a downloaded deck opens from the disk: a relative
 * link to a sibling file would be a broken (unsigned) link in the first case
 * and depend on where the browser saved each file in the second.
 *
 * Without script (a sandboxed frame) every slide shows, one under another,
 * each with its player and script; with script it becomes a deck, one slide
 * at a time, arrow keys and buttons to move, and an option to play the
 * slides one after another.
 */
export function renderSlidesDeck(deck: Deck): string {
  const total = deck.slides.length;
  const slides = deck.slides
    .map(
      (slide, index) => `
<section class="slide" id="slide-${index + 1}" aria-label="Slide ${index + 1} of ${total}">
  <p class="number">${index + 1} / ${total}</p>
  <h2>${escapeHtml(slide.title)}</h2>
  <ul>${slide.bullets.map((bullet) => `<li>${escapeHtml(bullet)}</li>`).join("")}</ul>
  <audio controls preload="metadata" src="data:${escapeHtml(slide.audio.contentType)};base64,${slide.audio.base64}" data-duration-ms="${slide.audio.durationMs}"></audio>
  <details><summary>Script</summary><p>${escapeHtml(slide.script)}</p></details>
</section>`,
    )
    .join("");
  return `<!doctype html>
<html lang="${escapeHtml(deck.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(deck.title)}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; line-height: 1.5; }
  header h1 { margin-bottom: 0.25rem; }
  .by { opacity: 0.7; margin-top: 0; }
  .slide { border: 1px solid color-mix(in srgb, currentColor 25%, transparent); border-radius: 0.75rem; padding: 1rem 1.5rem; margin: 1.5rem 0; }
  .slide h2 { font-size: 1.8rem; margin: 0.25rem 0 0.75rem; }
  .slide li { font-size: 1.2rem; margin: 0.3rem 0; }
  .number { opacity: 0.6; margin: 0; }
  audio { width: 100%; margin: 1rem 0 0.5rem; }
  nav { display: flex; gap: 0.75rem; align-items: center; justify-content: center; }
  nav button { font-size: 1.1rem; padding: 0.4rem 1rem; }
  .deck .slide { display: none; min-height: 60vh; }
  .deck .slide.current { display: block; }
</style>
</head>
<body>
<header>
  <h1>${escapeHtml(deck.title)}</h1>
  <p class="by">${escapeHtml(deck.writtenBy)} · ${total} slide${total === 1 ? "" : "s"}</p>
</header>
<nav hidden>
  <button type="button" data-move="-1" aria-label="Previous slide">←</button>
  <span aria-live="polite" class="where"></span>
  <button type="button" data-move="1" aria-label="Next slide">→</button>
  <label><input type="checkbox" class="play-on"> play the slides one after another</label>
</nav>
<main>${slides}
</main>
<script>
(() => {
  const slides = [...document.querySelectorAll(".slide")];
  const nav = document.querySelector("nav");
  const where = document.querySelector(".where");
  const playOn = document.querySelector(".play-on");
  let current = 0;
  const show = (index, play) => {
    slides[current].querySelector("audio").pause();
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach((slide, i) => slide.classList.toggle("current", i === current));
    where.textContent = (current + 1) + " / " + slides.length;
    if (play) slides[current].querySelector("audio").play().catch(() => {});
  };
  document.body.classList.add("deck");
  nav.hidden = false;
  nav.addEventListener("click", (event) => {
    const move = event.target.closest("[data-move]");
    if (move) show(current + Number(move.dataset.move), false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "PageDown") show(current + 1, false);
    else if (event.key === "ArrowLeft" || event.key === "PageUp") show(current - 1, false);
    else if (event.key === " " && event.target === document.body) {
      event.preventDefault();
      const audio = slides[current].querySelector("audio");
      audio.paused ? audio.play().catch(() => {}) : audio.pause();
    }
  });
  slides.forEach((slide, i) => slide.querySelector("audio").addEventListener("ended", () => {
    if (playOn.checked && i === current && i < slides.length - 1) show(i + 1, true);
  }));
  show(Math.max(0, slides.findIndex((slide) => "#" + slide.id === location.hash)), false);
})();
</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
