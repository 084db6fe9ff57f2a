import { describe, expect, it } from "vitest";
import { hasTokenFragment, linkedJobIn, tokenInFragment, withoutLinkedJob, withoutTokenFragment } from "../../src/web/dashboard/deep-link.js";

const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-_x";
const jobId = "0190f3c4-7d2e-7a1b-9c3d-4e5f60718293";

describe("a link's token (#token=<jwt>)", () => {
  it("is read from the fragment as a pasted token is: decoded, without Bearer or whitespace", () => {
    expect(tokenInFragment(`#token=${jwt}`)).toBe(jwt);
    expect(tokenInFragment(`#from=mail&token=${jwt}`)).toBe(jwt);
    expect(tokenInFragment(`#token=Bearer%20${jwt}%20`)).toBe(jwt);
    expect(tokenInFragment(`#token=%E0%A4%A`)).toBe("%E0%A4%A");
  });

  it("is absent from a fragment without one, and empty counts as absent (yet is still removed)", () => {
    for (const hash of ["", "#", "#top", "#tokens=x", "#mytoken=x"]) {
      expect(tokenInFragment(hash)).toBeNull();
      expect(hasTokenFragment(hash)).toBe(false);
    }
    expect(tokenInFragment("#token=")).toBeNull();
    expect(tokenInFragment("#token")).toBeNull();
    expect(hasTokenFragment("#token=")).toBe(true);
    expect(hasTokenFragment(`#token=${jwt}`)).toBe(true);
  });

  it("leaves the address with the rest of the fragment, and no '#' when nothing is left", () => {
    expect(withoutTokenFragment(`http://gateway/?job=${jobId}#token=${jwt}`)).toBe(`http://gateway/?job=${jobId}`);
    expect(withoutTokenFragment(`http://gateway/#from=mail&token=${jwt}&x=1`)).toBe("http://gateway/#from=mail&x=1");
    expect(withoutTokenFragment("http://gateway/#token=")).toBe("http://gateway/");
    expect(withoutTokenFragment("http://gateway/?a=1")).toBe("http://gateway/?a=1");
  });
});

describe("a link's job (?job=<id>)", () => {
  it("is read from the query, trimmed; none or empty is no job", () => {
    expect(linkedJobIn(`?job=${jobId}`)).toBe(jobId);
    expect(linkedJobIn(`?x=1&job=%20${jobId}%20`)).toBe(jobId);
    expect(linkedJobIn("?job=not-a-uuid")).toBe("not-a-uuid");
    for (const search of ["", "?", "?job=", "?job=%20", "?jobs=1"]) expect(linkedJobIn(search)).toBeNull();
  });

  it("goes with 'Show all jobs': the other parameters and the fragment stay, and no bare '?' is left", () => {
    expect(withoutLinkedJob(`http://gateway/?job=${jobId}`)).toBe("http://gateway/");
    expect(withoutLinkedJob(`http://gateway/?lang=en&job=${jobId}#x`)).toBe("http://gateway/?lang=en#x");
    expect(withoutLinkedJob("http://gateway/")).toBe("http://gateway/");
  });
});
