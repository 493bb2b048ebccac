/** A document to digest. */
export interface ReviewDocument {
  title: string;
  text: string;
}

const PRODUCTS = [
  'Alpine 2 tent',
  'Ridge 40 pack',
  'Summit down jacket',
  'Canyon hiking boots',
  'Glacier sleeping bag',
];
const THEMES = [
  { theme: 'waterproofing', line: 'It stayed dry through a full night of heavy rain.' },
  { theme: 'weight', line: 'It is lighter than anything I owned before, which my back noticed on long days.' },
  { theme: 'fit', line: 'The fit runs small, so I had to exchange it for a bigger size.' },
  { theme: 'durability', line: 'After two seasons of hard use a seam started to fray.' },
  { theme: 'price', line: 'It is expensive, but it felt worth it after the first trip.' },
];

/**
 * Deterministic product reviews for the example, each about one product and one theme.
 *
 * @example
 * ```ts
 * const documents = sampleReviews(40); // [{ title: 'Review 1: Alpine 2 tent', text: '...' }, ...]
 * ```
 */
export function sampleReviews(count: number): ReviewDocument[] {
  return Array.from({ length: count }, (_, index) => {
    const product = PRODUCTS[index % PRODUCTS.length]!;
    const { line } = THEMES[(index * 3 + Math.floor(index / 5)) % THEMES.length]!;
    return {
      title: `Review ${index + 1}: ${product}`,
      text: `${line} I used the ${product} on a ${2 + (index % 6)}-day trip. Rating: ${1 + ((index * 7) % 5)} of 5.`,
    };
  });
}

/** The themes the fake summariser and synthesiser know, with a phrase that marks each. */
export const reviewThemes: { theme: string; marker: RegExp }[] = [
  { theme: 'waterproofing', marker: /dry|rain/i },
  { theme: 'weight', marker: /lighter|weight/i },
  { theme: 'fit', marker: /fit|size/i },
  { theme: 'durability', marker: /fray|seam|durab/i },
  { theme: 'price', marker: /expensive|price|worth/i },
];
