// SPDX-License-Identifier: MIT
// The official openai client against the built binary and a fake upstream that behaves like the
// live service of zai-protocol.md section 10 (--live-2026: captcha gate, user-only roles, device
// id, no stream_options, guests on GLM-4.7 only): with ZAI_CAPTCHA_COMMAND and an account token a
// user's first request succeeds, streaming and not, tools over two rounds included; without a
// command the client gets 403 captcha_required in OpenAI's error shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startBridge } from './harness.mjs';

const token = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImxpdmUtZTJlIiwiZW1haWwiOiJsaXZlQGV4YW1wbGUuY29tIn0.c2ln';
const mint = fileURLToPath(new URL('./mint-captcha.mjs', import.meta.url));

let bridge;
let client;

before(async () => {
  bridge = await startBridge({ ZAI_TOKEN: token, ZAI_CAPTCHA_COMMAND: `"${process.execPath}" "${mint}"` },
    ['--live-2026', '--valid-token', token]);
  client = new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL, maxRetries: 0 });
});

after(async () => {
  await bridge?.stop();
});

test('live service: the first request succeeds with a captcha from ZAI_CAPTCHA_COMMAND', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5',
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }],
  });
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.match(completion.choices[0].message.content, /Hello there/);
});

test('live service: a stream with include_usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'GLM-5.3',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Stream please' }],
  });
  let text = '';
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    usage = chunk.usage ?? usage;
  }
  assert.ok(text.length > 0);
  assert.ok(usage.completion_tokens > 0);
});

test('live service: tools over two rounds', async () => {
  const tools = [{
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  }];
  const messages = [
    { role: 'system', content: 'You are a coding agent.' },
    { role: 'user', content: 'Use read_file on README.md' },
  ];
  const first = await client.chat.completions.create({ model: 'GLM-4.7', messages, tools });
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'read_file');
  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '# Title' });
  const second = await client.chat.completions.create({ model: 'GLM-4.7', messages, tools });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.ok(second.choices[0].message.content.length > 0);
});

test('live service without a captcha source: 403 captcha_required', async () => {
  const bare = await startBridge({ ZAI_TOKEN: token }, ['--live-2026', '--valid-token', token]);
  try {
    const bareClient = new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bare.baseURL, maxRetries: 0 });
    await assert.rejects(
      bareClient.chat.completions.create({ model: 'GLM-4.5', messages: [{ role: 'user', content: 'hi' }] }),
      (error) => {
        assert.equal(error.status, 403);
        assert.equal(error.code, 'captcha_required');
        assert.match(error.message, /ZAI_CAPTCHA_COMMAND/);
        return true;
      });
  } finally {
    await bare.stop();
  }
});
