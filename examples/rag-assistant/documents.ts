/**
 * The knowledge base of the example: a few pages of Trailhead Outfitters' help centre.
 *
 * @example
 * ```ts
 * const kb = memoryKnowledgeBase(helpCentreDocuments);
 * ```
 */
export const helpCentreDocuments = [
  {
    source: 'help/returns.md',
    text:
      'Returns: unworn items can be returned within 60 days of delivery for a full refund. Worn footwear and ' +
      'clothing can be returned within 30 days for store credit, if they are clean. Sale items are final.',
  },
  {
    source: 'help/shipping.md',
    text:
      'Shipping: standard delivery takes 3 to 5 business days and is free on orders over $75. Express delivery ' +
      'takes 1 to 2 business days and costs $15. We ship to the US and Canada.',
  },
  {
    source: 'help/warranty.md',
    text:
      'Warranty: Trailhead-branded tents, packs and sleeping bags carry a lifetime warranty against defects in ' +
      'materials and workmanship. Wear and tear and accidents are repaired at cost.',
  },
  {
    source: 'help/stores.md',
    text:
      'Stores: our Denver, Boulder and Salt Lake City stores are open 9am to 8pm Monday to Saturday and 10am to ' +
      '6pm on Sunday. Every store rents tents, snowshoes and avalanche beacons.',
  },
  {
    source: 'help/membership.md',
    text:
      'Membership: Trail Club members earn 10% back on full-price purchases, get free express shipping and ' +
      'early access to the spring and autumn gear sales. Membership costs $30 a year.',
  },
  {
    source: 'help/rentals.md',
    text:
      'Rentals: tents rent for $25 a day and snowshoes for $12 a day. Rentals are picked up and returned at the ' +
      'same store; a deposit of $100 is held on a card.',
  },
];
