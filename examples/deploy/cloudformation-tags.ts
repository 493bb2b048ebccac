import { Scalar, type Tags } from 'yaml';

/** The CloudFormation short-form tags the template uses. */
export const CLOUDFORMATION_TAGS = ['!Sub', '!GetAtt', '!Ref'] as const;

/** One of {@link CLOUDFORMATION_TAGS}. */
export type CloudFormationTag = (typeof CLOUDFORMATION_TAGS)[number];

/**
 * A scalar with a CloudFormation short-form tag, for writing the template (`!Sub 'arn:aws:...:${AWS::Region}...'`).
 *
 * @example
 * ```ts
 * new Document({ Role: tagged('!GetAtt', 'RouterRole.Arn') }).toString(); // 'Role: !GetAtt RouterRole.Arn\n'
 * ```
 */
export function tagged(tag: CloudFormationTag, value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.tag = tag;
  return scalar;
}

/**
 * The YAML schema additions that read the short forms back as their long forms (`!Sub x` as `{ 'Fn::Sub': 'x' }`,
 * `!GetAtt A.B` as `{ 'Fn::GetAtt': ['A', 'B'] }`, `!Ref A` as `{ Ref: 'A' }`), for `yaml`'s `parse`.
 *
 * @example
 * ```ts
 * const template = parse(readFileSync('template.yaml', 'utf8'), { customTags: cloudFormationTags });
 * ```
 */
export const cloudFormationTags: Tags = [
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
];
