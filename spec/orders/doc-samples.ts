/**
 * The five `order_update` pushes of the reference doc (indodax-private-websocket.md),
 * copied verbatim as the server text (note `2.22E-4`), one Centrifugo push frame each.
 */

/** "Response New Order" */
export const NEW_SAMPLE = `{
  "push": {
    "channel": "pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e",
    "pub": {
      "data": [
        {
          "eventType": "order_update",
          "order": {
            "orderId": "aaveidr-limit-3397",
            "symbol": "aaveidr",
            "side": "BUY",
            "origQty": "0.00996909",
            "unfilledQty": "0.00996909",
            "executedQty": "0",
            "price": "2000000",
            "description": "AAVE/IDR",
            "status": "NEW",
            "transactionTime": 1705635775203,
            "clientOrderId": "lendidr-limit-3397"
          }
        }
      ]
    }
  }
}`;

/** "Response Fills Order" */
export const FILL_SAMPLE = `{
  "push": {
    "channel": "pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e",
    "pub": {
      "data": [
        {
          "eventType": "order_update",
          "order": {
            "orderId": "aaveidr-limit-13525",
            "tradeId": "72057594037968281",
            "symbol": "aaveidr",
            "side": "BUY",
            "origQty": "0.0046462",
            "unfilledQty": "0",
            "executedQty": "0.0046462",
            "price": "4289899",
            "description": "AAVE/IDR",
            "status": "FILL",
            "transactionTime": 1734490232679,
            "fillInformation": {
              "participant": "TAKER",
              "filledQty": "0.0046462",
              "qty": "0.0046462",
              "feeAsset": "idr",
              "feeRate": 0.002,
              "fee": "39",
              "taxAsset": "idr",
              "taxRate": 0.0012,
              "tax": "23",
              "clearingAsset": "idr",
              "clearingRate": 2.22E-4,
              "clearing": "4"
            },
            "clientOrderId": "lendidr-limit-13525"
          }
        }
      ]
    }
  }
}`;

/** "Response Cancel Order" */
export const CANCELLED_SAMPLE = `{
  "push": {
    "channel": "pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e",
    "pub": {
      "data": [
        {
          "eventType": "order_update",
          "order": {
            "orderId": "aaveidr-limit-3399",
            "symbol": "aaveidr",
            "side": "SELL",
            "origQty": "0.05015045",
            "unfilledQty": "0.05015045",
            "executedQty": "0",
            "price": "2000000",
            "description": "AAVE/IDR",
            "status": "CANCELLED",
            "transactionTime": 1705636274643,
            "clientOrderId": "lendidr-limit-3399"
          }
        }
      ]
    }
  }
}`;

/** "Response Done Order" */
export const DONE_SAMPLE = `{
  "push": {
    "channel": "pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e",
    "pub": {
      "data": [
        {
          "eventType": "order_update",
          "order": {
            "orderId": "aaveidr-limit-3397",
            "symbol": "aaveidr",
            "side": "BUY",
            "origQty": "0.00996909",
            "unfilledQty": "0",
            "executedQty": "0.00996909",
            "price": "2000000",
            "description": "AAVE/IDR",
            "status": "DONE",
            "transactionTime": 1705635775203,
            "clientOrderId": "lendidr-limit-3397"
          }
        }
      ]
    }
  }
}`;

/** "Response Rejected (FOK) Order" */
export const REJECTED_SAMPLE = `{
  "push": {
    "channel": "pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e",
    "pub": {
      "data": [
        {
          "eventType": "order_update",
          "order": {
            "orderId": "aaveidr-limit-3397",
            "symbol": "aaveidr",
            "side": "BUY",
            "origQty": "0.00996909",
            "unfilledQty": "0",
            "executedQty": "0.00996909",
            "price": "2000000",
            "description": "AAVE/IDR",
            "status": "REJECTED",
            "transactionTime": 1705635775203,
            "clientOrderId": "lendidr-limit-3397"
          }
        }
      ]
    }
  }
}`;

/** All five, by status. */
export const DOC_SAMPLES = {
  NEW: NEW_SAMPLE,
  FILL: FILL_SAMPLE,
  CANCELLED: CANCELLED_SAMPLE,
  DONE: DONE_SAMPLE,
  REJECTED: REJECTED_SAMPLE,
} as const;
