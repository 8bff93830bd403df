// The data the server put in the shell (app/frontend/FrontendBoot.py), so the first page draws
// without waiting on the API: each piece is taken once, then pages ask the API as usual.

let boot = null;

function readBoot() {
  if (boot) return boot;
  const element = document.getElementById('dibz-boot');
  try {
    boot = element ? JSON.parse(element.textContent) : {};
  } catch {
    boot = {};
  }
  return boot;
}

/** The boot data under `name` (undefined when absent or already taken). */
export function takeBoot(name) {
  const data = readBoot();
  const value = data[name];
  delete data[name];
  return value;
}
