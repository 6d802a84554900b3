// SPDX-License-Identifier: MIT
// The official OpenAI SDK's Responses API (what the Codex CLI speaks) against POST /v1/responses:
// responses.create whole and streamed, responses.stream with function tools over two rounds and
// with reasoning, and errors as the SDK's typed exceptions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startBridge } from './harness.mjs';

let bridge;
let client;

const tools = [{
  type: 'function',
  name: 'read_file',
  description: 'Read a file of the project',
  parameters: {
    type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false,
  },
  strict: true,
}];

before(async () => {
  bridge = await startBridge();
  client = new OpenAI({ apiKey: 'sk-e2e-key', baseURL: bridge.baseURL, maxRetries: 0 });
});

after(async () => {
  await bridge?.stop();
});

test('responses: responses.create, whole answer', async () => {
  const response = await client.responses.create({
    model: 'GLM-4.5', instructions: 'Be brief.', input: 'Hello', store: false,
  });
  assert.match(response.id, /^resp_/);
  assert.equal(response.object, 'response');
  assert.equal(response.status, 'completed');
  assert.equal(response.model, 'GLM-4.5');
  assert.equal(response.output_text, 'Echo: Hello'); // the SDK's own convenience, from output
  assert.equal(response.output[0].type, 'message');
  assert.equal(response.output[0].content[0].type, 'output_text');
  assert.ok(response.usage.input_tokens > 0);
  assert.ok(response.usage.output_tokens > 0);
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
});

test('responses: responses.create with stream: true', async () => {
  const stream = await client.responses.create({
    model: 'GLM-4.5', stream: true,
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'Stream please' }] }],
  });
  const types = [];
  const sequence = [];
  let text = '';
  let completed;
  for await (const event of stream) {
    types.push(event.type);
    sequence.push(event.sequence_number);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  assert.equal(types[0], 'response.created');
  assert.equal(types[1], 'response.in_progress');
  assert.equal(types.at(-1), 'response.completed');
  assert.deepEqual(sequence, sequence.map((_, i) => i));
  assert.equal(text, 'Echo: Stream please');
  assert.equal(completed.status, 'completed');
  assert.equal(completed.output[0].content[0].text, text);
});

test('responses: responses.stream with reasoning', async () => {
  const stream = client.responses.stream({
    model: 'GLM-4.7', input: 'Think first', reasoning: { effort: 'high', summary: 'auto' },
  });
  let summary = '';
  stream.on('response.reasoning_summary_text.delta', (event) => { summary += event.delta; });
  const response = await stream.finalResponse();
  assert.equal(response.output[0].type, 'reasoning');
  assert.ok(summary.length > 0);
  assert.equal(response.output[0].summary[0].text, summary);
  assert.equal(response.output[1].type, 'message');
  assert.equal(response.output_text.trim(), 'Echo: Think first');
});

test('responses: responses.stream with function tools over two rounds', async () => {
  const input = [{ role: 'user', content: 'What is in the README?' }];
  const first = await client.responses.stream({
    model: 'GLM-4.7', tools, tool_choice: 'auto', parallel_tool_calls: false, store: false, input,
  }).finalResponse();
  assert.equal(first.status, 'completed');
  const call = first.output.find((item) => item.type === 'function_call');
  assert.ok(call, JSON.stringify(first.output));
  assert.match(call.call_id, /^call_[A-Za-z0-9]{24}$/);
  assert.match(call.id, /^fc_/);
  assert.equal(call.name, 'read_file');
  assert.equal(typeof call.arguments, 'string');
  assert.deepEqual(JSON.parse(call.arguments), { path: 'README.md' });
  assert.ok(!first.output_text.includes('<function_calls>'), first.output_text);

  // Round two as Codex sends it: the output items back, then the call's output.
  input.push(...first.output);
  input.push({ type: 'function_call_output', call_id: call.call_id, output: '# ZaiBridge' });
  const stream = client.responses.stream({ model: 'GLM-4.7', tools, input });
  let text = '';
  stream.on('response.output_text.delta', (event) => { text += event.delta; });
  const final = await stream.finalResponse();
  assert.equal(final.status, 'completed');
  assert.equal(text, 'The tool read_file said: # ZaiBridge');
  assert.equal(final.output_text, text);
});

test('responses: a required tool call, whole', async () => {
  const response = await client.responses.create({
    model: 'GLM-4.5', tools, tool_choice: { type: 'function', name: 'read_file' },
    input: '[no-tool] answer in words',
  });
  const call = response.output.at(-1);
  assert.equal(call.type, 'function_call');
  assert.equal(call.name, 'read_file');
  assert.equal(typeof JSON.parse(call.arguments), 'object');
});

test('responses: errors are the SDK\'s typed exceptions', async () => {
  await assert.rejects(
    client.responses.create({ model: 'GLM-4.5', input: 'x', previous_response_id: 'resp_earlier' }),
    (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.status, 400);
      assert.equal(error.param, 'previous_response_id');
      assert.equal(error.code, 'previous_response_not_found');
      assert.match(error.message, /keeps no responses/);
      return true;
    });
  await assert.rejects(
    client.responses.create({ model: 'gpt-5-codex', input: 'x' }),
    (error) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found');
  await assert.rejects(
    client.responses.retrieve('resp_earlier'),
    (error) => error instanceof OpenAI.NotFoundError);
  const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: bridge.baseURL, maxRetries: 0 });
  await assert.rejects(
    wrongKey.responses.create({ model: 'GLM-4.5', input: 'x' }),
    (error) => error instanceof OpenAI.AuthenticationError);
});
