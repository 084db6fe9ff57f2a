import postgres from "postgres";

/**
 * Creates the database a URL names when the server has none of that name
 * and the user may create one (a first run); answers whether it did. Any
 * other failure is left for the migration's connection to report.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) return false;
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await probe`select 1`;
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
  // The maintenance database the server always has.
  const serverUrl = new URL(url);
  serverUrl.pathname = "/postgres";
  const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`create database ${quoteIdentifier(name)}`);
    return true;
  } catch (error) {
    // Another process created it meanwhile.
    if ((error as { code?: string }).code === "42P04") return false;
    throw new Error(`database ${name} does not exist and could not be created: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.end({ timeout: 1 });
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
