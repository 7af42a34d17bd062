/**
 * MQTT topics of events (the spec's `x-mqtt`), as specgen_runtime.mqtt: a site's NATS server
 * is its MQTT broker and maps each subject to a topic by fixed rules (`.` becomes `/`, the
 * wildcards `*` and `>` become `+` and `#`).
 *
 * Events published on NATS reach MQTT subscribers at QoS 0. Events of a type declared
 * `qos: 1` carry the header `Nmqtt-Pub: 1`: QoS-1 subscriptions then get them at QoS 1 from
 * the server's MQTT stream, which sources them from the domain stream at the site.
 */

import { SubjectError } from "./errors.js";

/** The NATS header the server reads as the QoS an MQTT message was published with. */
export const QOS_HEADER = "Nmqtt-Pub";

/** How a site's MQTT listener serves one event type. */
export interface MqttSpec {
  /** The subject template mapped by the server's rules; parameters stay `{name}`. */
  readonly topic: string;
  /** The QoS its events reach QoS-1 subscriptions at. */
  readonly qos: 0 | 1;
  /** Whether devices may publish these events over MQTT. */
  readonly devicePublish: boolean;
}

const WILDCARDS: Readonly<Record<string, string>> = { "*": "+", ">": "#" };
const LEVEL_BAD = /[/+#\u0000]/;

/** The MQTT topic (or filter) a concrete NATS subject (or filter) is served on. */
export function topicOf(subject: string): string {
  return subject
    .split(".")
    .map((token) => {
      const wildcard = WILDCARDS[token];
      if (wildcard !== undefined) return wildcard;
      if (LEVEL_BAD.test(token))
        throw new SubjectError(
          `subject ${JSON.stringify(subject)}: token ${JSON.stringify(token)} cannot be an MQTT ` +
            "topic level ('/', '+' and '#' are MQTT separators and wildcards)",
        );
      return token;
    })
    .join("/");
}
