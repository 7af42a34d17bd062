/**
 * The one error tree of this package.
 *
 *   SpecgenError
 *   +-- SubjectError          a parameter is not a single NATS subject token
 *   +-- ValidationError       event data or attributes break the schema
 *   +-- EncodeError           an event cannot be written to the wire
 *   +-- DecodeError           a message is not a valid event of the expected type (.reason)
 *   +-- PublishError          sending failed (.subject, .eventId)
 *   |   +-- NotAcknowledgedError   JetStream gave no positive acknowledgement (.maybeStored)
 *   +-- SubscribeError        a subscription could not be created or read
 *   +-- DeadLetterError       an undecodable message could not be forwarded
 */

export class SpecgenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class SubjectError extends SpecgenError {}

export class ValidationError extends SpecgenError {}

export class EncodeError extends SpecgenError {}

export class DecodeError extends SpecgenError {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}

export class PublishError extends SpecgenError {
  readonly subject: string;
  readonly eventId: string;
  constructor(subject: string, eventId: string, detail: string, options?: { cause?: unknown }) {
    super(
      `publishing event ${JSON.stringify(eventId)} to ${JSON.stringify(subject)} failed: ${detail}`,
      options,
    );
    this.subject = subject;
    this.eventId = eventId;
  }
}

export class NotAcknowledgedError extends PublishError {
  readonly maybeStored: boolean;
  constructor(
    subject: string,
    eventId: string,
    detail: string,
    maybeStored: boolean,
    options?: { cause?: unknown },
  ) {
    super(subject, eventId, detail, options);
    this.maybeStored = maybeStored;
  }
}

export class SubscribeError extends SpecgenError {}

export class DeadLetterError extends SpecgenError {
  readonly subject: string;
  readonly reason: string;
  constructor(subject: string, reason: string, detail: string, options?: { cause?: unknown }) {
    super(
      `cannot dead-letter the message on ${JSON.stringify(subject)} (${reason}): ${detail}`,
      options,
    );
    this.subject = subject;
    this.reason = reason;
  }
}
