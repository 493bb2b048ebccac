import { describe, expect, it } from 'vitest';
import { awsSetupHint } from './aws-hint';
import { parseInput } from './parse-input';

describe('parseInput', () => {
  it('parses inline JSON and standard input', () => {
    expect(parseInput('{"q":"hi"}')).toEqual({ q: 'hi' });
    expect(parseInput('-', process.cwd(), () => '[1, 2]')).toEqual([1, 2]);
  });

  it('names where the bad JSON came from, with an example', () => {
    expect(() => parseInput('-', process.cwd(), () => '{nope')).toThrow(
      /^standard input is not valid JSON \(.*\)\. Example: --input/,
    );
    expect(() => parseInput('{"a":')).toThrow(expect.objectContaining({ name: 'CliError', exitCode: 2 }));
  });
});

describe('awsSetupHint', () => {
  it('recognises a missing region or missing credentials, and nothing else', () => {
    expect(awsSetupHint(new Error('Region is missing'))).toMatch(/^AWS region is not set\. Set AWS_REGION/);
    expect(
      awsSetupHint(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ),
    ).toMatch(/^AWS credentials are missing or invalid\./);
    expect(awsSetupHint(new Error('The security token included in the request is invalid.'))).toMatch(/credentials/);
    expect(awsSetupHint(new Error('State machine does not exist'))).toBeUndefined();
  });
});
