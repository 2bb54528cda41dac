export {
  DEFAULT_BRAND,
  escapeHtml,
  formatDateForPeople,
  type MailBlock,
  type MailBrand,
  renderMail,
} from './mail-layout.js';
export {
  createLogMailer,
  createMailer,
  createSmtpMailer,
  MailDeliveryError,
  type Mailer,
  type MailMessage,
} from './mailer.js';
export {
  createLogSmsSender,
  createSmsSender,
  createWebhookSmsSender,
  SMS_WEBHOOK_TIMEOUT_MS,
  SmsDeliveryError,
  type SmsMessage,
  type SmsSender,
} from './sms.js';
export {
  deletionScheduledMessage,
  type MailedCodePurpose,
  type MessageContent,
  phoneCodeSms,
  type SecurityEvent,
  securityNoticeMessage,
  verificationCodeMessage,
} from './templates.js';
