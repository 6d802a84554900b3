// SPDX-License-Identifier: MIT
// Tool calling end to end: the official openai client and the Vercel AI SDK (streamText with
// tools) each reach a tool call and a final answer over two rounds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { streamText, tool, stepCountIs } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { z } from 'zod';
import { startBridge } from './harness.mjs';

let bridge;
let client;

const tools = [{
  type: 'function',
  function: {
    name: 'read_file',
    description: 'Read a file of the project',
    strict: true,
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  },
}];

before(async () => {
  bridge = await startBridge();
  client = new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL, maxRetries: 0 });
});

after(async () => {
  await bridge?.stop();
});

test('openai client: streamed tool call, then the final answer', async () => {
  const messages = [{ role: 'user', content: 'What is in the README?' }];
  const stream = await client.chat.completions.create({
    model: 'GLM-4.7', messages, tools, tool_choice: 'auto', parallel_tool_calls: true,
    stream: true, stream_options: { include_usage: true },
  });
  const calls = [];
  let finish;
  let content = '';
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? '';
    for (const delta of choice.delta.tool_calls ?? []) {
      assert.ok(delta.function, 'every tool-call delta has a function object');
      if (delta.id) calls[delta.index] = { id: delta.id, type: delta.type, name: delta.function.name, arguments: '' };
      calls[delta.index].arguments += delta.function.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  assert.equal(finish, 'tool_calls');
  assert.equal(calls.length, 1);
  assert.match(calls[0].id, /^call_[A-Za-z0-9]{24}$/);
  assert.equal(calls[0].type, 'function');
  assert.equal(calls[0].name, 'read_file');
  assert.deepEqual(JSON.parse(calls[0].arguments), { path: 'README.md' });
  assert.ok(!content.includes('<function_calls>') && !content.includes('_Start/>'), content);

  messages.push({ role: 'assistant', content, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) });
  messages.push({ role: 'tool', tool_call_id: calls[0].id, content: '# ZaiBridge' });
  const final = await client.chat.completions.create({ model: 'GLM-4.7', messages, tools });
  assert.equal(final.choices[0].finish_reason, 'stop');
  assert.equal(final.choices[0].message.content, 'The tool read_file said: # ZaiBridge');
});

test('openai client: non-streaming tool call and tool_choice required', async () => {
  const completion = await client.chat.completions.create({
    model: 'GLM-4.5', tools, tool_choice: 'required',
    messages: [{ role: 'user', content: '[no-tool] answer without tools first' }],
  });
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  const call = completion.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'read_file');
  assert.equal(typeof call.function.arguments, 'string');
  assert.deepEqual(JSON.parse(call.function.arguments), { path: 'README.md' });
});

test('Vercel AI SDK: streamText with tools reaches a tool call and a final answer', async () => {
  const provider = createOpenAICompatible({ name: 'zaibridge', baseURL: bridge.baseURL, apiKey: 'sk-e2e-key', includeUsage: true });
  const executed = [];
  const result = streamText({
    model: provider('GLM-4.7'),
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
