// indodax-pws/decimal: exact decimal arithmetic on the strings the exchange sends (quantities,
// prices, fees), for strategy code that sums fills or compares prices without floating point.
export {
  addDecimals,
  subtractDecimals,
  multiplyDecimals,
  compareDecimals,
  normalizeDecimal,
  truncateDecimal,
  isDecimalString,
  DecimalError,
} from './util/decimal';
