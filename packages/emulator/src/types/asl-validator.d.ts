// Types of the `asl-validator` package, which ships none. Shared by everything in runtime-sfn that validates ASL.
declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
    /** Where the schema check failed, for schema errors. */
    schemaError?: { instancePath: string; schemaPath: string };
  }
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface AslValidatorResult {
    isValid: boolean;
    errors: AslValidatorError[];
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
  export default aslValidator;
}
