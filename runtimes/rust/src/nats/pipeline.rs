//! Publishing many events with a bounded window of outstanding acknowledgements.
//!
//! Each event is sent as soon as fewer than `window` JetStream acknowledgements are
//! outstanding; the oldest is awaited first (acknowledgements come in order of sending), each
//! at most the publisher's acknowledgement timeout after it was sent. Every event gets its
//! outcome, in input order: acknowledged (`duplicate` when the stream already had its id),
//! refused, or not acknowledged in time (`maybe_stored`), or not sent at all (invalid).

use std::collections::VecDeque;

use super::publisher::{Outgoing, Pending, Publisher, Sent, CORE_RESULT};
use super::{NatsError, PublishResult};
use crate::event::{Event, EventType};

/// The most acknowledgements `publish_pipelined` keeps outstanding.
pub const MAX_WINDOW: usize = 4096;

/// One outcome per event of a pipelined publish, in input order.
pub type Outcomes = Vec<Result<PublishResult, NatsError>>;

impl Publisher {
    /// Publish `events` (each with its subject) with at most `window` acknowledgements
    /// outstanding (1 to [`MAX_WINDOW`]); the outcome of every event, in input order.
    pub async fn publish_pipelined<S, I>(&self, events: I, window: usize) -> Outcomes
    where
        S: EventType,
        I: IntoIterator<Item = (Event<S>, String)>,
    {
        #[cfg(feature = "opentelemetry")]
        {
            let batch = super::otel::batch_span();
            let prepared = events.into_iter().map(|(e, s)| {
                let (added, hop) = super::otel::create(&e, &s, &batch);
                self.prepare_with(&e, &s, &added, &hop)
            });
            let outcomes = self.publish_prepared(prepared, window).await;
            super::otel::end_batch(&batch, outcomes.len());
            outcomes
        }
        #[cfg(not(feature = "opentelemetry"))]
        {
            let prepared = events.into_iter().map(|(e, s)| self.prepare(&e, &s));
            self.publish_prepared(prepared, window).await
        }
    }

    /// [`Publisher::publish_pipelined`] for events prepared before (of any types): an `Err`
    /// item is reported as it is, at its place.
    pub async fn publish_prepared<I>(&self, items: I, window: usize) -> Outcomes
    where
        I: IntoIterator<Item = Result<Outgoing, NatsError>>,
    {
        let window = window.clamp(1, MAX_WINDOW);
        let mut outcomes: Vec<Option<Result<PublishResult, NatsError>>> = Vec::new();
        let mut pending: VecDeque<(usize, Pending)> = VecDeque::new();
        for item in items {
            let index = outcomes.len();
            outcomes.push(None);
            let outgoing = match item {
                Ok(outgoing) => outgoing,
                Err(error) => {
                    outcomes[index] = Some(Err(error));
                    continue;
                }
            };
            while pending.len() >= window {
                self.settle_oldest(&mut pending, &mut outcomes).await;
            }
            match self.send(outgoing).await {
                Ok(Sent::Core) => outcomes[index] = Some(Ok(CORE_RESULT)),
                Ok(Sent::Jetstream(sent)) => pending.push_back((index, sent)),
                Err(error) => outcomes[index] = Some(Err(error)),
            }
        }
        while !pending.is_empty() {
            self.settle_oldest(&mut pending, &mut outcomes).await;
        }
        debug_assert!(
            outcomes.iter().all(Option::is_some),
            "every item has its outcome"
        );
        outcomes.into_iter().flatten().collect()
    }

    async fn settle_oldest(
        &self,
        pending: &mut VecDeque<(usize, Pending)>,
        outcomes: &mut [Option<Result<PublishResult, NatsError>>],
    ) {
        if let Some((index, sent)) = pending.pop_front() {
            outcomes[index] = Some(self.settle(sent).await);
        }
    }
}
