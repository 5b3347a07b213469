//! A query's life, generated: logged by an officer, assigned, worked through the statuses with
//! notes along the way and, if old enough, resolved and closed. Each step produces the rows
//! the repository method for it would have written (the query's new state, a status
//! transition, timeline events, an audit link), through the same `storage::records` builders.

use super::words::{DETAILS, NOTES, OPENINGS, SUBJECTS};
use domain::{
    CalendarId, CustomerId, NoteId, QueryId, QueryTypeId, StatusId, TeamId, TenantId, Timestamp, UserId,
    audit::{Actor, AuditEvent},
    calendar::Calendar,
    note::{ContactDetails, Direction, NewNote, Note, NoteKind},
    query::{Assignment, Channel, Priority, Query, QueryReference, StatusCategory},
    query_list::QueryDue,
    search::{CustomerSearchParts, SearchDocument},
    sla::{Clock, ClockKind, QueryFacts, SlaPolicy, select},
    workflow::WorkflowRef,
};
use rand::{Rng, RngCore, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use storage::{
    records::{self, NewEvent},
    seed::{SeedBatch, SeedEvent, SeedTransition, seed_link},
};
use uuid::Uuid;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A UUIDv7 for a record made at `at`, its random bits from the seeded stream, so ids sort by
/// time like real ones and the same seed gives the same ids.
pub fn id_at(rng: &mut ChaCha8Rng, at: Timestamp) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill_bytes(&mut random);
    let millis = u64::try_from(at.as_micros() / 1000).unwrap_or_default();
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

/// What officers write when they resolve a query.
const RESOLUTIONS: [&str; 6] = [
    "Explained the position and sent the guidance the customer asked for",
    "Corrected the record and confirmed the change by email",
    "Refund issued and the customer told when to expect it",
    "Passed to the right department and the customer given their contact details",
    "Answered by phone; nothing further needed",
    "Appointment booked and confirmation sent",
];

/// The tenant's setup that queries refer to.
#[derive(Debug)]
pub struct World {
    pub tenant_id: TenantId,
    /// The first status of each category, in `StatusCategory::ALL` order.
    pub statuses: [StatusId; 5],
    /// The default workflow's current version: every path below is one it allows.
    pub workflow: WorkflowRef,
    /// Sub-types with the index of their sub-type list in [`SUBJECTS`] and their team.
    pub types: Vec<(QueryTypeId, usize, usize)>,
    pub teams: Vec<(TeamId, Vec<UserId>)>,
    /// Index of the contact centre in `teams`: it logs most phone and in-person queries.
    pub contact_centre: usize,
    pub now: Timestamp,
    /// The tenant's service-level policies, in the order they are tried, and their calendars.
    pub policies: Vec<SlaPolicy>,
    pub calendars: HashMap<CalendarId, Calendar>,
}

impl World {
    fn status(&self, category: StatusCategory) -> StatusId {
        let index = StatusCategory::ALL.iter().position(|c| *c == category).unwrap_or(0);
        self.statuses[index]
    }
}

/// The chain position carried from batch to batch.
#[derive(Debug)]
pub struct Chain {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Chain {
    pub fn append(&mut self, batch: &mut SeedBatch, tenant: TenantId, actor: Actor, at: Timestamp, event: &AuditEvent) {
        self.seq += 1;
        let link = seed_link(tenant, actor, at, event, self.seq, self.hash);
        self.hash = link.hash;
        batch.audit.push(link);
    }
}

/// Channels in the shares a council contact centre sees.
fn channel(rng: &mut ChaCha8Rng) -> Channel {
    match rng.random_range(0..100) {
        0..40 => Channel::Email,
        40..70 => Channel::Phone,
        70..85 => Channel::WebForm,
        85..93 => Channel::Post,
        93..97 => Channel::InPerson,
        _ => Channel::DespatchBox,
    }
}

fn priority(rng: &mut ChaCha8Rng) -> Priority {
    match rng.random_range(0..100) {
        0..15 => Priority::Low,
        15..85 => Priority::Normal,
        85..97 => Priority::High,
        _ => Priority::Urgent,
    }
}

/// How far along a query of this age usually is: the categories it passes through after New.
fn path(rng: &mut ChaCha8Rng, age_days: i64) -> &'static [StatusCategory] {
    use StatusCategory::{Closed, Open, Resolved, Waiting};
    let roll = rng.random_range(0..100);
    let (closed, resolved, waiting, open) = match age_days {
        60.. => (90, 97, 99, 100),
        14..60 => (50, 75, 85, 100),
        2..14 => (0, 20, 40, 80),
        _ => (0, 0, 10, 40),
    };
    let waited = rng.random_bool(0.3);
    match roll {
        r if r < closed => {
            if waited {
                &[Open, Waiting, Open, Resolved, Closed]
            } else {
                &[Open, Resolved, Closed]
            }
        }
        r if r < resolved => {
            if waited {
                &[Open, Waiting, Open, Resolved]
            } else {
                &[Open, Resolved]
            }
        }
        r if r < waiting => &[Open, Waiting],
        r if r < open => &[Open],
        _ => &[],
    }
}

/// The subject and description an officer would type for this sub-type.
fn wording(rng: &mut ChaCha8Rng, subjects: usize) -> (String, String) {
    let street = super::people::street(rng);
    let subject = SUBJECTS[subjects].choose(rng).unwrap_or(&"Enquiry").replace("{street}", &street);
    let mut description = format!("{} ", OPENINGS.choose(rng).unwrap_or(&""));
    description.push_str(DETAILS.choose(rng).unwrap_or(&""));
    if rng.random_bool(0.5) {
        description.push(' ');
        description.push_str(DETAILS.choose(rng).unwrap_or(&""));
    }
    (subject, description)
}

/// One query and everything that happened to it, appended to `batch`.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
pub fn query(
    rng: &mut ChaCha8Rng,
    world: &World,
    chain: &mut Chain,
    batch: &mut SeedBatch,
    reference: u64,
    received_at: Timestamp,
    customer: Option<(CustomerId, &CustomerSearchParts)>,
) {
    let (type_id, subjects, team_index) = *world.types.choose(rng).unwrap_or(&world.types[0]);
    let channel = channel(rng);
    // Calls and visits are logged while the customer is there; the rest when someone gets to them.
    let delay = match channel {
        Channel::Phone | Channel::InPerson => rng.random_range(1..10) * MINUTE,
        _ => rng.random_range(5 * MINUTE..2 * DAY),
    };
    let created_at = received_at.plus_seconds(delay).min(world.now);
    let logger_team = if matches!(channel, Channel::Phone | Channel::InPerson) || rng.random_bool(0.2) {
        world.contact_centre
    } else {
        team_index
    };
    let logger = *world.teams[logger_team].1.choose(rng).unwrap_or(&world.teams[logger_team].1[0]);
    let (team_id, members) = &world.teams[team_index];
    let (subject, description) = wording(rng, subjects);
    let id = QueryId::from_uuid(id_at(rng, created_at));
    let mut query = Query {
        tenant_id: world.tenant_id,
        id,
        reference: QueryReference::new(reference),
        customer_id: customer.map(|(id, _)| id),
        channel,
        priority: priority(rng),
        status_id: world.status(StatusCategory::New),
        subject,
        description,
        received_at,
        type_id: Some(type_id),
        assignment: Assignment { officer: None, team: Some(*team_id) },
        is_open: true,
        version: 1,
        created_at,
        updated_at: created_at,
        due: QueryDue::default(),
    };
    let actor = Actor::User(logger.as_uuid());
    let event = |rng: &mut ChaCha8Rng, batch: &mut SeedBatch, actor: Actor, event: NewEvent| {
        batch.events.push(SeedEvent { id: id_at(rng, event.at), actor: actor.id(), event });
    };
    let mut transition_seq = 1;
    batch.transitions.push(SeedTransition {
        query_id: id.as_uuid(),
        seq: transition_seq,
        from: None,
        to: query.status_id,
        at: created_at,
        actor: actor.id(),
        workflow: world.workflow,
        resolution_summary: None,
    });
    chain.append(batch, world.tenant_id, actor, created_at, &records::query_created(&query));
    for e in records::query_created_events(&query) {
        event(rng, batch, actor, e);
    }

    let age_days = (world.now.as_micros() - received_at.as_micros()) / 1_000_000 / DAY;
    let steps = path(rng, age_days);
    // Steps are spread over the time the query has had, so none lands in the future.
    let room = (world.now.as_micros() - created_at.as_micros()) / 1_000_000;
    let mut at = created_at;
    let advance = |rng: &mut ChaCha8Rng, at: &mut Timestamp, typical: i64| {
        let left = (world.now.as_micros() - at.as_micros()) / 1_000_000;
        let step = rng.random_range(MINUTE..=typical.max(MINUTE + 1)).min(left.max(0) / 2).max(1);
        *at = at.plus_seconds(step).min(world.now);
    };
    let officer = *members.choose(rng).unwrap_or(&members[0]);
    if !steps.is_empty() {
        // Picked up by an officer of the team.
        advance(rng, &mut at, (room / 8).clamp(HOUR, 3 * DAY));
        let before = query.clone();
        query.assignment.officer = Some(officer);
        query.version += 1;
        query.updated_at = at;
        let officer_actor = Actor::User(officer.as_uuid());
        chain.append(batch, world.tenant_id, officer_actor, at, &records::query_assigned(&before, &query));
        event(rng, batch, officer_actor, records::query_assigned_event(&query));
    }
    let officer_actor = Actor::User(officer.as_uuid());
    let noted_at = rng.random_range(0..steps.len().max(1));
    // What moves its clocks, in order: status changes and the first outbound contact.
    let mut clock_moves: Vec<(Timestamp, Option<(StatusCategory, StatusCategory)>)> = Vec::new();
    let mut category_now = StatusCategory::New;
    for (i, category) in steps.iter().enumerate() {
        let typical = match category {
            StatusCategory::Closed => 21 * DAY,
            StatusCategory::Resolved => (room / 3).clamp(HOUR, 20 * DAY),
            _ => (room / 10).clamp(MINUTE * 10, 5 * DAY),
        };
        advance(rng, &mut at, typical);
        let before = query.clone();
        query.status_id = world.status(*category);
        query.is_open = !category.is_done();
        clock_moves.push((at, Some((category_now, *category))));
        category_now = *category;
        query.version += 1;
        query.updated_at = at;
        transition_seq += 1;
        // The default workflow asks for a summary to resolve.
        let resolution = (*category == StatusCategory::Resolved)
            .then(|| RESOLUTIONS[rng.random_range(0..RESOLUTIONS.len())].to_owned());
        batch.transitions.push(SeedTransition {
            query_id: id.as_uuid(),
            seq: transition_seq,
            from: Some(before.status_id),
            to: query.status_id,
            at,
            actor: officer_actor.id(),
            workflow: world.workflow,
            resolution_summary: resolution.clone(),
        });
        let changed = records::query_status_changed(&before, &query, world.workflow);
        chain.append(batch, world.tenant_id, officer_actor, at, &changed);
        event(rng, batch, officer_actor, records::query_status_event(&before, &query, &(resolution, None)));
        if i == noted_at && rng.random_bool(0.35) {
            let contact = rng.random_bool(0.4).then(|| ContactDetails {
                direction: if rng.random_bool(0.7) { Direction::Outbound } else { Direction::Inbound },
                channel: if rng.random_bool(0.6) { Channel::Phone } else { Channel::Email },
            });
            let note = Note {
                id: NoteId::from_uuid(id_at(rng, at)),
                query_id: id,
                note: NewNote {
                    kind: if contact.is_some() { NoteKind::Contact } else { NoteKind::Note },
                    contact,
                    occurred_at: at,
                    body: NOTES.choose(rng).unwrap_or(&"Note").to_string(),
                },
                author: officer_actor,
                created_at: at,
            };
            if contact.is_some_and(|c| c.direction == Direction::Outbound) {
                clock_moves.push((at, None));
            }
            chain.append(batch, world.tenant_id, officer_actor, at, &records::note_added(&note));
            event(rng, batch, officer_actor, records::note_event(&query, &note));
            batch.notes.push(note);
        }
    }
    query.due = clocks(world, &query, &clock_moves, batch);
    let document = SearchDocument::for_query(
        query.reference,
        &query.subject,
        &query.description,
        customer.map(|(_, parts)| parts),
    );
    batch.queries.push((query, document.as_str().to_owned()));
    batch.workflow = Some(world.workflow);
}

/// The query's service-level clocks as the live flows would have left them by `world.now`
/// (started at its received time under the first policy it meets, moved by its status changes
/// and first response, with the alerts already swept), added to the batch; returns its due times.
fn clocks(
    world: &World,
    query: &Query,
    moves: &[(Timestamp, Option<(StatusCategory, StatusCategory)>)],
    batch: &mut SeedBatch,
) -> QueryDue {
    let facts = QueryFacts {
        // The seeded types' conditions are not used by the shipped policies; a type's own id
        // stands for its lineage.
        type_lineage: query.type_id.into_iter().collect(),
        channel: query.channel,
        priority: query.priority,
        customer_has_contact_needs: None,
    };
    let Some(policy) = select(&world.policies, &facts) else { return QueryDue::default() };
    let mut clocks = Vec::new();
    for kind in ClockKind::ALL {
        let Some(target) = policy.definition.target(kind) else { continue };
        let Some(calendar) = world.calendars.get(&target.calendar_id) else { continue };
        let Some(Ok(mut clock)) = Clock::start(kind, policy, calendar, query.received_at) else { continue };
        for (at, change) in moves {
            match change {
                Some((from, to)) => clock.status_changed(calendar, *from, *to, *at),
                None => clock.responded(*at),
            }
        }
        clocks.push(clock);
    }
    let due = QueryDue::of_clocks(&clocks, world.now);
    batch.clocks.extend(clocks.into_iter().map(|clock| (query.id, clock)));
    due
}
