// The report entry's screens (ch. 9 of the guide): not built yet, so the main screen names the command
// that does the same. Replace with: export async function screen({path}) { ... }
