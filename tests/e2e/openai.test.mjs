// SPDX-License-Identifier: MIT
// The official openai npm client against the built binary, streaming and not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startBridge } from './harness.mjs';

let bridge;
let client;

before(async () => {
  bridge = await startBridge();
  client = new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL, maxRetries: 0 });
});

after(async () => {
  await bridge?.stop();
});

test('lists the catalogue', async () => {
  const models = [];
  for await (const model of client.models.list()) models.push(model.id);
  for (const id of ['GLM-4.7', 'GLM-4.7-Thinking', 'GLM-4.6', 'GLM-4.5', 'GLM-4.5-Air', 'GLM-4.5V', 'GLM-4.6V', 'GLM-5'])
    assert.ok(models.includes(id), `${id} missing from ${models}`);
  const one = await client.models.retrieve('GLM-4.7');
  assert.equal(one.id, 'GLM-4.7');
});

test('non-streaming completion carries the answer and usage', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5',
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }],
  });
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, 'Echo: Hello there');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.ok(completion.usage.completion_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('streaming completion: role first, same id, reasoning, usage chunk, done', async () => {
  const stream = await client.chat.completions.create({
    model: 'GLM-4.7-Thinking',
    messages: [{ role: 'user', content: 'Think about tides' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.length >= 4);
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1, 'every chunk has the same id');
  assert.equal(new Set(chunks.map((c) => c.created)).size, 1);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const content = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('');
  assert.match(content, /Echo: Think about tides/);
  assert.ok(reasoning.length > 0, 'thinking arrives as reasoning_content');
  assert.ok(!reasoning.includes('<details') && !reasoning.includes('\n> '));
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.total_tokens > 0);
  const finish = chunks.find((c) => c.choices[0]?.finish_reason);
  assert.equal(finish.choices[0].finish_reason, 'stop');
});

test('stop sequence cuts the answer', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5', messages: [{ role: 'user', content: 'alpha beta gamma' }], stop: ['gamma'],
  });
  assert.equal(completion.choices[0].message.content, 'Echo: alpha beta ');
  assert.equal(completion.choices[0].finish_reason, 'stop');
});

test('max_tokens ends with finish_reason length', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5', messages: [{ role: 'user', content: 'a rather long prompt to echo back' }], max_tokens: 2,
  });
  assert.equal(completion.choices[0].finish_reason, 'length');
  assert.ok(completion.choices[0].message.content.length <= 8);
});

test('errors are OpenAI errors the SDK understands', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found');
  await assert.rejects(
    client.chat.completions.create({ model: 'GLM-4.5', messages: [] }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'messages');
  await assert.rejects(
    client.chat.completions.create({ model: 'GLM-4.5', n: 2, messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'n');
  const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: bridge.baseURL, maxRetries: 0 });
  await assert.rejects(wrongKey.models.list(), (err) => err instanceof OpenAI.AuthenticationError);
});

test('response_format json_object: fences stripped, JSON returned', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5', response_format: { type: 'json_object' },
    messages: [{ role: 'user', content: 'give me json' }],
  });
  assert.deepEqual(JSON.parse(completion.choices[0].message.content), { echo: 'give me json' });
  const stream = await client.chat.completions.create({
    model: 'GLM-4.5', stream: true,
    response_format: { type: 'json_schema', json_schema: { name: 'echo', schema: { type: 'object', properties: { echo: { type: 'string' } } } } },
    messages: [{ role: 'user', content: 'stream json' }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.deepEqual(JSON.parse(text), { echo: 'stream json' });
});

test('response_format: invalid JSON is asked again once, then an error, never a success', async () => {
  const fixed = await client.chat.completions.create({
    model: 'GLM-4.5', response_format: { type: 'json_object' },
    messages: [{ role: 'user', content: '[bad-json] please' }],
  });
  assert.equal(typeof JSON.parse(fixed.choices[0].message.content), 'object');
  await assert.rejects(
    client.chat.completions.create({
      model: 'GLM-4.5', response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: '[bad-json-always] please' }],
    }),
    (err) => err.status === 502 && err.code === 'json_validation_failed');
});
