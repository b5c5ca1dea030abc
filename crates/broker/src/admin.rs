//! `AdminUtils`: where a new topic's replicas go. Both releases place them
//! the same way when brokers have no rack: the first replica of partition
//! `p` on broker `(p + start) mod n`, the others shifted from it by a shift
//! that grows by one every `n` partitions, both `start` and the first shift
//! random (so a cluster's leaders spread out); each release throws its own
//! exception with its own words when the request cannot be met.

use std::collections::BTreeMap;

use distribution::Release;

/// Why an assignment cannot be made: the exception class and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminError {
    pub exception: &'static str,
    pub message: String,
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.exception, self.message)
    }
}

impl std::error::Error for AdminError {}

const ADMINISTRATION_0_8_0: &str = "kafka.admin.AdministrationException";
const INVALID_PARTITIONS: &str = "org.apache.kafka.common.errors.InvalidPartitionsException";
const INVALID_REPLICATION_FACTOR: &str =
    "org.apache.kafka.common.errors.InvalidReplicationFactorException";

/// Where random choices come from: `rand.nextInt(bound)`.
pub trait Random {
    fn next_int(&mut self, bound: usize) -> usize;
}

/// How to place replicas: `brokers` in the order Kafka lists them (sorted
/// by id), and the optional fixed start used by tests and by partition
/// addition.
#[derive(Clone, Debug)]
pub struct AssignmentRequest<'a> {
    pub brokers: &'a [i32],
    pub partitions: i32,
    pub replication_factor: i32,
    /// `fixedStartIndex`: used for both the first replica and the shift.
    pub fixed_start_index: Option<usize>,
    /// `startPartitionId`: the first partition to place (partition addition).
    pub start_partition_id: Option<i32>,
}

/// `AdminUtils.assignReplicasToBrokers` (rack-unaware): partition id to its
/// replicas, the first of which is the preferred leader.
pub fn assign_replicas_to_brokers(
    release: Release,
    request: &AssignmentRequest<'_>,
    rand: &mut dyn Random,
) -> Result<BTreeMap<i32, Vec<i32>>, AdminError> {
    let brokers = request.brokers;
    let n = brokers.len();
    let fail = |exception: &'static str, message: String| Err(AdminError { exception, message });
    if request.partitions <= 0 {
        return match release {
            Release::V0_8_0 => fail(
                ADMINISTRATION_0_8_0,
                "number of partitions must be larger than 0".into(),
            ),
            Release::V2_8_2 => fail(
                INVALID_PARTITIONS,
                "Number of partitions must be larger than 0.".into(),
            ),
        };
    }
    if request.replication_factor <= 0 {
        return match release {
            Release::V0_8_0 => fail(
                ADMINISTRATION_0_8_0,
                "replication factor must be larger than 0".into(),
            ),
            Release::V2_8_2 => fail(
                INVALID_REPLICATION_FACTOR,
                "Replication factor must be larger than 0.".into(),
            ),
        };
    }
    let factor = request.replication_factor as usize;
    if factor > n {
        return match release {
            Release::V0_8_0 => fail(
                ADMINISTRATION_0_8_0,
                format!("replication factor: {factor} larger than available brokers: {n}"),
            ),
            Release::V2_8_2 => fail(
                INVALID_REPLICATION_FACTOR,
                format!("Replication factor: {factor} larger than available brokers: {n}."),
            ),
        };
    }
    let start_index = request
        .fixed_start_index
        .unwrap_or_else(|| rand.next_int(n));
    let mut next_replica_shift = request
        .fixed_start_index
        .unwrap_or_else(|| rand.next_int(n));
    let first_partition = request.start_partition_id.unwrap_or(0).max(0);
    let mut assignment = BTreeMap::new();
    for partition in first_partition..first_partition + request.partitions {
        let p = partition as usize;
        if p > 0 && p % n == 0 {
            next_replica_shift += 1;
        }
        let first = (p + start_index) % n;
        let mut replicas = vec![brokers[first]];
        for j in 0..factor - 1 {
            replicas.push(brokers[wrapped_index(first, next_replica_shift, j, n)]);
        }
        assignment.insert(partition, replicas);
    }
    Ok(assignment)
}

/// `getWrappedIndex` / `replicaIndex`: the follower `replica` places after
/// the first replica, never on the first replica's broker.
fn wrapped_index(first: usize, shift: usize, replica: usize, n: usize) -> usize {
    let shift = 1 + (shift + replica) % (n - 1);
    (first + shift) % n
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(Vec<usize>);

    impl Random for Fixed {
        fn next_int(&mut self, bound: usize) -> usize {
            let v = self.0.remove(0);
            assert!(v < bound);
            v
        }
    }

    fn request(
        brokers: &[i32],
        partitions: i32,
        factor: i32,
        fixed: Option<usize>,
    ) -> AssignmentRequest<'_> {
        AssignmentRequest {
            brokers,
            partitions,
            replication_factor: factor,
            fixed_start_index: fixed,
            start_partition_id: None,
        }
    }

    /// `AdminTest.testReplicaAssignment` of 0.8.0 (the same expectation
    /// stands in 2.8.2's `AdminRackAwareTest` for brokers without racks).
    #[test]
    fn kafkas_own_expected_assignment() {
        let brokers = [0, 1, 2, 3, 4];
        let expected: BTreeMap<i32, Vec<i32>> = [
            (0, vec![0, 1, 2]),
            (1, vec![1, 2, 3]),
            (2, vec![2, 3, 4]),
            (3, vec![3, 4, 0]),
            (4, vec![4, 0, 1]),
            (5, vec![0, 2, 3]),
            (6, vec![1, 3, 4]),
            (7, vec![2, 4, 0]),
            (8, vec![3, 0, 1]),
            (9, vec![4, 1, 2]),
        ]
        .into_iter()
        .collect();
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let got = assign_replicas_to_brokers(
                release,
                &request(&brokers, 10, 3, Some(0)),
                &mut Fixed(vec![]),
            );
            assert_eq!(got.unwrap(), expected);
        }
    }

    #[test]
    fn random_start_and_shift_come_from_the_generator() {
        let brokers = [1, 2, 3];
        let got = assign_replicas_to_brokers(
            Release::V2_8_2,
            &request(&brokers, 3, 2, None),
            &mut Fixed(vec![2, 1]),
        )
        .unwrap();
        // Start at index 2 (broker 3); followers shifted by 1 + 1 = 2.
        assert_eq!(got[&0], vec![3, 2]);
        assert_eq!(got[&1], vec![1, 3]);
        assert_eq!(got[&2], vec![2, 1]);
    }

    #[test]
    fn each_release_refuses_in_its_own_words() {
        let brokers = [0];
        let e = assign_replicas_to_brokers(
            Release::V0_8_0,
            &request(&brokers, 1, 3, Some(0)),
            &mut Fixed(vec![]),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "kafka.admin.AdministrationException: replication factor: 3 larger than available brokers: 1"
        );
        let e = assign_replicas_to_brokers(
            Release::V2_8_2,
            &request(&brokers, 1, 3, Some(0)),
            &mut Fixed(vec![]),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Replication factor: 3 larger than available brokers: 1."
        );
        let e = assign_replicas_to_brokers(
            Release::V2_8_2,
            &request(&brokers, 0, 1, Some(0)),
            &mut Fixed(vec![]),
        )
        .unwrap_err();
        assert_eq!(e.exception, INVALID_PARTITIONS);
    }

    #[test]
    fn no_partition_has_a_broker_twice_and_leaders_spread_evenly() {
        let brokers = [0, 1, 2, 3];
        for start in 0..4 {
            for shift in 0..4 {
                let got = assign_replicas_to_brokers(
                    Release::V2_8_2,
                    &request(&brokers, 8, 3, None),
                    &mut Fixed(vec![start, shift]),
                )
                .unwrap();
                let mut leaders = BTreeMap::new();
                for replicas in got.values() {
                    let mut sorted = replicas.clone();
                    sorted.sort();
                    sorted.dedup();
                    assert_eq!(sorted.len(), 3, "{replicas:?}");
                    *leaders.entry(replicas[0]).or_insert(0) += 1;
                }
                assert!(leaders.values().all(|&c| c == 2), "{leaders:?}");
            }
        }
    }
}
