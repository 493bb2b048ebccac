import { describeRuntimeConformance } from '@stepwise/core/testing';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { createSfnRuntime } from './create-sfn-runtime';

const emulators = new Map<string, Emulator>();

// Each case gets its own emulator (its own fakes), driven by the real SDK clients of the SFN runtime: the chain is
// compiled, deployed with CreateStateMachine and run with StartSyncExecution; `respond` streams over ConverseStream.
describeRuntimeConformance('runtime-sfn (emulator)', {
  async createRuntime({ case: testCase, models, knowledgeBases, handlers, random }) {
    const emulator = await startEmulator({
      models,
      knowledgeBases,
      handlers,
      retryDelayMs: 0,
      ...(random ? { random } : {}),
    });
    emulators.set(testCase.name, emulator);
    return createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-conformance',
    });
  },
  async cleanup({ case: testCase }) {
    await emulators.get(testCase.name)?.close();
    emulators.delete(testCase.name);
  },
  fakeModels,
  memoryKnowledgeBase,
});
