export {
  browserTouches,
  CONVERSION_ID_PATTERN,
  ConversionFieldError,
  checkAmount,
  checkConversionId,
  checkCurrency,
  checkDecimalValue,
  checkEventName,
  checkOccurredAt,
  checkUuid,
  EVENT_NAME_PATTERN,
  MAX_FUTURE_MS,
  MAX_TOUCHES,
  NO_CLICK_ID,
  serverTouches,
} from './conversion-fields.js';
export { CURRENCIES } from './currencies.js';
