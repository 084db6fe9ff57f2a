import { useLayoutEffect, useRef } from "preact/hooks";

/**
 * For a box that grows (a log, a text being written): keeps its end in view
 * each time `content` changes, unless the reader has scrolled up to read.
 * Give the box the ref and the scroll handler.
 */
export function useFollowEnd<T extends HTMLElement>(content: unknown) {
  const ref = useRef<T>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    if (ref.current && atEnd.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [content]);
  const onScroll = () => {
    const el = ref.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
  };
  return { ref, onScroll };
}
