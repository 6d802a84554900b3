// SPDX-License-Identifier: MIT
// Images with the official openai client: a real PNG as a data: URL and as an http URL served
// from a local server, uploaded by the bridge with a Z.AI account token; bad input answered 400;
// a guest account's refused upload answered with a message that asks for ZAI_TOKEN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import OpenAI from 'openai';
import { startBridge } from './harness.mjs';

const png = await readFile(new URL('../data/images/gradient-16x16.png', import.meta.url));
const dataUrl = `data:image/png;base64,${png.toString('base64')}`;

// A JWT-shaped account token that the fake upstream is told to accept.
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const accountToken = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ id: 'e2e-user', email: 'e2e@example.com' })}.c2ln`;

let account; // bridge with ZAI_TOKEN
let guest;   // bridge with guest accounts only
let images;  // local web server for remote images
let imageRequests = 0;

before(async () => {
  account = await startBridge({ ZAI_TOKEN: accountToken }, ['--valid-token', accountToken]);
  guest = await startBridge();
  images = http.createServer((req, res) => {
    imageRequests += 1;
    if (req.url.startsWith('/screenshot.png')) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      res.end(png);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  images.listen(0, '127.0.0.1');
  await once(images, 'listening');
});

after(async () => {
  images?.close();
  await account?.stop();
  await guest?.stop();
});

const client = (bridge) => new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL, maxRetries: 0 });
const note = '[images: image/png 16x16]';

test('a PNG data URL reaches the model (non-streaming)', async () => {
  const completion = await client(account).chat.completions.create({
    model: 'GLM-4.6V',
    messages: [{
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this screenshot?' },
        { type: 'image_url', image_url: { url: dataUrl, detail: 'high' } },
      ],
    }],
  });
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.choices[0].message.content.endsWith(`What is in this screenshot? ${note}`),
    completion.choices[0].message.content);
});

test('a PNG data URL in an earlier turn and a new one, streaming', async () => {
  const stream = await client(account).chat.completions.create({
    model: 'GLM-4.5',
    stream: true,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'image_url', image_url: { url: dataUrl } }] },
      { role: 'assistant', content: 'A gradient.' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl } }, { type: 'text', text: 'again' }] },
    ],
  });
  let content = '';
  for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(content, 'Echo: again [images: image/png 16x16, image/png 16x16]');
});

test('an http image URL is fetched by the bridge', async () => {
  const { port } = images.address();
  const before = imageRequests;
  const completion = await client(account).chat.completions.create({
    model: 'GLM-4.5V',
    messages: [{ role: 'user', content: [
      { type: 'text', text: 'Describe' },
      { type: 'image_url', image_url: { url: `http://127.0.0.1:${port}/screenshot.png?v=1` } },
    ] }],
  });
  assert.equal(imageRequests, before + 1);
  assert.equal(completion.choices[0].message.content, `Echo: Describe ${note}`);
});

test('bad images are refused with 400', async () => {
  const { port } = images.address();
  for (const [url, code] of [
    ['data:image/png;base64', 'invalid_image_url'],
    ['data:image/bmp;base64,Qk0=', 'invalid_image_format'],
    [`http://127.0.0.1:${port}/missing.png`, 'invalid_image_url'],
  ]) {
    await assert.rejects(
      client(account).chat.completions.create({
        model: 'GLM-4.5',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url } }] }],
      }),
      (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, `${url}: ${error}`);
        assert.equal(error.status, 400);
        assert.equal(error.code, code);
        assert.equal(error.param, 'messages[0].content[1].image_url.url');
        return true;
      });
  }
});

test('a guest account cannot upload: the error asks for ZAI_TOKEN', async () => {
  await assert.rejects(
    client(guest).chat.completions.create({
      model: 'GLM-4.6V',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: dataUrl } }] }],
    }),
    (error) => {
      assert.ok(error instanceof OpenAI.PermissionDeniedError, String(error));
      assert.equal(error.code, 'image_upload_needs_account');
      assert.match(error.message, /ZAI_TOKEN/);
      return true;
    });
});
