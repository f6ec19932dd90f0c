// Where each print view lives (issue 10 §7): the views are pages of the app under `#/print/...`
// (web/src/modules/print/), opened from a record's detail page ("打印") and from a list's batch
// "print selection".

/** The print view of one record, if its record type has one. */
export function printOfRecord(resource: string, id: number): string | null {
  switch (resource) {
    case 'classes':
      return `/print/roster/${id}`
    case 'students':
      return `/print/card/${id}`
    case 'order_offers':
      return `/print/offer/${id}`
    case 'training_bases':
      return `/print/bookings/${id}`
    default:
      return null
  }
}

/** The print view of a list's selection (`?ids=1,2,3`, or the list's filter): students' record
 * cards, one per page; for any other record type the selected rows as a table. */
export function printOfSelection(resource: string): string {
  return resource === 'students' ? '/print/cards' : `/print/list/${resource}`
}
