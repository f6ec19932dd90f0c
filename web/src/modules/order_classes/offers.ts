// A student's offer as `GET /api/order_choices` answers it (the order class page and the home card).
export interface OfferRow { id: number; order_class_id: number; order_class_name: string; choice: number | null; status: string; respond_by: string | null; can_respond: boolean }
