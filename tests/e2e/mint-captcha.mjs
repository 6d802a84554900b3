// SPDX-License-Identifier: MIT
// A ZAI_CAPTCHA_COMMAND for the end-to-end tests: asks the fake upstream's captcha stand-in (the
// chat page the bridge names in ZAI_CAPTCHA_ORIGIN) for a verify parameter and prints it, as a
// user's own program would ask a browser signed in to chat.z.ai.
const origin = process.env.ZAI_CAPTCHA_ORIGIN;
if (!origin) {
  console.error('ZAI_CAPTCHA_ORIGIN is not set');
  process.exit(2);
}
const response = await fetch(new URL('/__fake/captcha/mint', origin));
if (!response.ok) {
  console.error(`the mint answered HTTP ${response.status}`);
  process.exit(1);
}
process.stdout.write(`${(await response.text()).trim()}\n`);
