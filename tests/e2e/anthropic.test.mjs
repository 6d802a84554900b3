// SPDX-License-Identifier: MIT
// The official Anthropic SDK (what Claude Code is built on) against POST /v1/messages and
// /v1/messages/count_tokens: messages.create streamed and not, messages.stream with thinking and
// with tools over two rounds, countTokens, and errors as the SDK's typed exceptions; and the
// Vercel AI SDK's Anthropic provider with tools over two rounds and with reasoning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, streamText, tool, stepCountIs } from 'ai';
import { z } from 'zod';
import { startBridge } from './harness.mjs';

let bridge;
let client;

const tools = [{
  name: 'read_file',
  description: 'Read a file of the project',
  input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  cache_control: { type: 'ephemeral' },
}];

before(async () => {
  bridge = await startBridge();
  // The SDK appends /v1/messages itself: the base URL is the server's root, as in Claude Code.
  client = new Anthropic({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL.replace(/\/v1$/, ''), maxRetries: 0 });
});

after(async () => {
  await bridge?.stop();
});

test('anthropic: messages.create, whole answer', async () => {
  const message = await client.messages.create({
    model: 'GLM-4.5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'Hello' }],
    metadata: { user_id: 'e2e' },
  });
  assert.match(message.id, /^msg_/);
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, 'GLM-4.5');
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.content.length, 1);
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, 'Echo: Hello');
  assert.ok(message.usage.input_tokens > 0);
  assert.ok(message.usage.output_tokens > 0);
});

test('anthropic: messages.create with stream: true, Claude model name, Bearer token', async () => {
  const bearer = new Anthropic({ authToken: 'sk-e2e-key', apiKey: null, baseURL: client.baseURL, maxRetries: 0 });
  const stream = await bearer.messages.create({
    model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true,
    messages: [{ role: 'user', content: 'Stream please' }],
  });
  const types = [];
  let text = '';
  let stopReason;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
    if (event.type === 'message_start') assert.equal(event.message.model, 'GLM-4.7');
  }
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.ok(types.includes('content_block_start') && types.includes('content_block_stop'));
  assert.equal(text, 'Echo: Stream please');
  assert.equal(stopReason, 'end_turn');
});

test('anthropic: messages.stream with thinking', async () => {
  const stream = client.messages.stream({
    model: 'GLM-4.7', max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: 'Think first' }],
  });
  let thinking = '';
  stream.on('thinking', (delta) => { thinking += delta; });
  const message = await stream.finalMessage();
  assert.equal(message.content[0].type, 'thinking');
  assert.ok(message.content[0].thinking.length > 0);
  assert.equal(message.content[0].thinking, thinking);
  assert.ok(message.content[0].signature.length > 0);
  assert.equal(message.content[1].type, 'text');
  assert.equal(message.content[1].text.trim(), 'Echo: Think first');
});

test('anthropic: messages.stream with tools over two rounds', async () => {
  const messages = [{ role: 'user', content: 'What is in the README?' }];
  const first = await client.messages.stream({
    model: 'GLM-4.7', max_tokens: 4096, tools, tool_choice: { type: 'auto' }, messages,
  }).finalMessage();
  assert.equal(first.stop_reason, 'tool_use');
  const call = first.content.find((block) => block.type === 'tool_use');
  assert.ok(call, JSON.stringify(first.content));
  assert.match(call.id, /^toolu_[A-Za-z0-9]{24}$/);
  assert.equal(call.name, 'read_file');
  assert.deepEqual(call.input, { path: 'README.md' });
  for (const block of first.content)
    if (block.type === 'text') assert.ok(!block.text.includes('<function_calls>'), block.text);

  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '# ZaiBridge' }] });
  const stream = client.messages.stream({ model: 'GLM-4.7', max_tokens: 4096, tools, messages });
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, 'end_turn');
  assert.equal(text, 'The tool read_file said: # ZaiBridge');
  assert.equal(final.content.at(-1).text, text);
});

test('anthropic: countTokens', async () => {
  const counted = await client.messages.countTokens({
    model: 'claude-haiku-4-5',
    system: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: 'How many tokens is this?' }],
    tools,
  });
  assert.deepEqual(Object.keys(counted), ['input_tokens']);
  assert.ok(counted.input_tokens > 10, String(counted.input_tokens));
});

test('anthropic: models.list and models.retrieve in Anthropic\'s shape', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.type, 'model');
    assert.ok(!Number.isNaN(Date.parse(model.created_at)), model.created_at);
    ids.push(model.id);
  }
  assert.ok(ids.includes('GLM-4.7'), ids.join(', '));
  const one = await client.models.retrieve('GLM-4.5');
  assert.equal(one.id, 'GLM-4.5');
  assert.equal(one.display_name, 'GLM-4.5');
});

test('anthropic: errors are the SDK\'s typed exceptions', async () => {
  await assert.rejects(
    client.messages.create({ model: 'GLM-4.5', messages: [{ role: 'user', content: 'x' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      assert.equal(error.status, 400);
      assert.equal(error.error.type, 'error');
      assert.equal(error.error.error.type, 'invalid_request_error');
      assert.match(error.error.error.message, /max_tokens/);
      return true;
    });
  await assert.rejects(
    client.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    (error) => error instanceof Anthropic.NotFoundError && error.error.error.type === 'not_found_error');
  const wrongKey = new Anthropic({ apiKey: 'sk-wrong', baseURL: client.baseURL, maxRetries: 0 });
  await assert.rejects(
    wrongKey.messages.create({ model: 'GLM-4.5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    (error) => error instanceof Anthropic.AuthenticationError && error.error.error.type === 'authentication_error');
});

test('Vercel AI SDK (@ai-sdk/anthropic): streamText with tools over two rounds', async () => {
  const anthropic = createAnthropic({ baseURL: bridge.baseURL, apiKey: 'sk-e2e-key' });
  const executed = [];
  const result = streamText({
    model: anthropic('claude-sonnet-4-5'),
    prompt: 'Summarise the README of this project.',
    tools: {
      read_file: tool({
        description: 'Read a file of the project',
        inputSchema: z.object({ path: z.string() }),
        execute: async ({ path }) => {
          executed.push(path);
          return `contents of ${path}`;
        },
      }),
    },
    stopWhen: stepCountIs(3),
  });
  const text = await result.text;
  const steps = await result.steps;
  assert.deepEqual(executed, ['README.md']);
  assert.ok(steps.length >= 2, `expected two rounds, got ${steps.length}`);
  assert.equal(steps[0].finishReason, 'tool-calls');
  assert.match(text, /The tool read_file said: .*contents of README\.md/);
  const usage = await result.totalUsage;
  assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0);
});

test('Vercel AI SDK (@ai-sdk/anthropic): generateText with thinking', async () => {
  const anthropic = createAnthropic({ baseURL: bridge.baseURL, apiKey: 'sk-e2e-key' });
  const result = await generateText({
    model: anthropic('GLM-4.7'),
    prompt: 'Think first',
    providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2048 } } },
  });
  assert.ok(result.reasoningText && result.reasoningText.length > 0, JSON.stringify(result.reasoning));
  assert.equal(result.text.trim(), 'Echo: Think first');
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.response.modelId, 'GLM-4.7');
});
