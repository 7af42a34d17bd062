"""Amazon SNS (0.1.0) and SQS (0.1.0, 0.2.0) bindings, as the official schemas define them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from specgen.model.bindings.base import Binding, Open
from specgen.model.bindings.values import FilterValue, Integer, TextOrTexts, integer

SqsVersion = Literal["0.1.0", "0.2.0"]


class Statement(Open):
    kind = "policy statement"

    effect: Literal["Allow", "Deny"] = Field(description="'Allow' or 'Deny'")
    principal: TextOrTexts = Field(description="a principal or a list of them")
    action: TextOrTexts = Field(description="an action or a list of them")


class Policy(Open):
    kind = "policy"

    statements: list[Statement] = Field(description="the policy's statements")


class Identifier(Open):
    kind = "identifier"

    url: str | None = None
    email: str | None = None
    phone: str | None = None
    arn: str | None = None
    name: str | None = None


class Ordering(Open):
    kind = "SNS ordering"

    type: Literal["standard", "FIFO"] = Field(description="'standard' or 'FIFO'")
    content_based_deduplication: bool | None = None


class SnsChannel(Binding):
    kind = "SNS channel binding"

    name: str = Field(description="the topic's name")
    ordering: Ordering | None = None
    policy: Policy | None = None
    tags: dict[str, Any] | None = None
    binding_version: Literal["0.1.0"] | None = None


class DeliveryPolicy(Open):
    kind = "SNS delivery policy"

    min_delay_target: Integer | None = None
    max_delay_target: Integer | None = None
    num_retries: Integer | None = None
    num_no_delay_retries: Integer | None = None
    num_min_delay_retries: Integer | None = None
    num_max_delay_retries: Integer | None = None
    backoff_function: Literal["arithmetic", "exponential", "geometric", "linear"] | None = None
    max_receives_per_second: Integer | None = None


class RedrivePolicy(Open):
    kind = "redrive policy"

    dead_letter_queue: Identifier = Field(description="where undeliverable messages go")
    max_receive_count: Integer | None = None


class Consumer(Open):
    kind = "SNS consumer"

    protocol: Literal[
        "http", "https", "email", "email-json", "sms", "sqs", "application", "lambda",
        "firehose",
    ] = Field(description="how the consumer receives messages, e.g. sqs")  # fmt: skip
    endpoint: Identifier = Field(description="where the consumer receives messages")
    filter_policy: dict[str, FilterValue] | None = None
    filter_policy_scope: Literal["MessageAttributes", "MessageBody"] | None = None
    raw_message_delivery: bool = Field(description="true or false")
    redrive_policy: RedrivePolicy | None = None
    delivery_policy: DeliveryPolicy | None = None
    display_name: str | None = None


class SnsOperation(Binding):
    kind = "SNS operation binding"

    topic: Identifier | None = None
    consumers: Annotated[list[Consumer], Field(min_length=1)] = Field(
        description="who receives the topic's messages"
    )
    delivery_policy: DeliveryPolicy | None = None
    binding_version: Literal["0.1.0"] | None = None


class SqsQueue(Open):
    kind = "SQS queue"

    name: str = Field(description="the queue's name")
    fifo_queue: bool | None = None
    deduplication_scope: Literal["queue", "messageGroup"] | None = None
    fifo_throughput_limit: Literal["perQueue", "perMessageGroupId"] | None = None
    delivery_delay: Annotated[int, integer(0, 900)] | None = None
    visibility_timeout: Annotated[int, integer(0, 43_200)] | None = None
    receive_message_wait_time: Integer | None = None
    message_retention_period: Annotated[int, integer(60, 1_209_600)] | None = None
    redrive_policy: RedrivePolicy | None = None
    policy: Policy | None = None
    tags: dict[str, Any] | None = None


class SqsChannelQueue(SqsQueue):
    fifo_queue: bool = Field(description="true for a FIFO queue")


class SqsChannel(Binding):
    kind = "SQS channel binding"

    queue: SqsChannelQueue = Field(description="the queue the channel is")
    dead_letter_queue: SqsChannelQueue | None = None
    binding_version: SqsVersion | None = None


class SqsOperation(Binding):
    kind = "SQS operation binding"

    queues: list[SqsQueue] = Field(description="the queues the operation uses")
    binding_version: SqsVersion | None = None
