import type { Plugin } from "graphql-yoga";

/** Yoga answers a body it cannot read (say text/plain) with a bare 415; this one says why, with a code. */
export function useUnsupportedMediaTypeError(): Plugin {
  return {
    onRequestParse({ request, requestParser, endResponse, fetchAPI }) {
      if (requestParser || request.method !== "POST") return;
      const body = { errors: [{ message: "unsupported content type: send application/json", extensions: { code: "UNSUPPORTED_MEDIA_TYPE" } }] };
      endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { "content-type": "application/json; charset=utf-8" } }));
    },
  };
}
