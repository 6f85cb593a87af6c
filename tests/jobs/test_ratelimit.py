"""The outbox's rate limiter on a hand-moved clock: global, a private chat's bucket, per group, a send counted
from its answer, pauses, memory."""

from __future__ import annotations

import pytest

from bot.ports import Limits
from jobs.ratelimit import RateLimiter


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`."""
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """A fresh clock at t=1000."""
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    """Telegram's default limits on the fake clock."""
    return RateLimiter(Limits(), clock=clock)


def send(limiter: RateLimiter, chat_id: str, is_group: bool = False) -> None:
    """Record a send answered at once, insisting it was allowed right now."""
    assert limiter.delay(chat_id, is_group) == 0.0
    limiter.settle(limiter.record(chat_id, is_group))


def test_default_limits_are_telegrams():
    assert Limits() == Limits(global_per_second=30, private_per_second=1, group_per_minute=17, private_burst=5)


@pytest.mark.parametrize("field", ["global_per_second", "private_per_second", "group_per_minute", "private_burst"])
def test_limits_must_be_positive(field: str):
    with pytest.raises(ValueError, match=field):
        Limits(**{field: 0})


def test_float_noise_is_not_a_wait(limiter: RateLimiter, clock: FakeClock):
    clock.now = 0.0
    limiter.record("alice", False)
    for _ in range(10):
        clock.advance(0.1)
    assert clock.now < 1.0  # 0.9999999999999999: the full second, short by float noise
    assert limiter.delay("alice", False) == 0.0


def test_delay_records_nothing(limiter: RateLimiter):
    for _ in range(5):
        assert limiter.delay("a", False) == 0.0
    assert limiter.tracked_chats == frozenset()


@pytest.mark.parametrize("is_group", [False, True])
def test_thirty_at_once_then_the_31st_waits_for_the_first_to_leave(
    limiter: RateLimiter, clock: FakeClock, is_group: bool
):
    for i in range(30):
        send(limiter, f"chat{i}", is_group)
    assert limiter.delay("chat30", is_group) == pytest.approx(1.0)
    clock.advance(0.5)
    assert limiter.delay("chat30", is_group) == pytest.approx(0.5)
    clock.advance(0.5)
    send(limiter, "chat30", is_group)


def test_global_window_slides_send_by_send(limiter: RateLimiter, clock: FakeClock):
    for i in range(30):
        send(limiter, f"chat{i}")
        clock.advance(0.01)
    # Sends at +0.00 … +0.29, now +0.30: the first leaves the window at +1.00.
    assert limiter.delay("late", False) == pytest.approx(0.7)
    clock.advance(0.7)
    send(limiter, "late")
    # The second (at +0.01) is now the oldest of the last 30.
    assert limiter.delay("later", False) == pytest.approx(0.01)


def test_private_chat_gets_a_burst_of_five_then_one_per_second(limiter: RateLimiter, clock: FakeClock):
    for _ in range(5):
        send(limiter, "alice")  # a person's quick burst of commands is answered at once
    assert limiter.delay("alice", False) == pytest.approx(1.0)
    assert limiter.delay("bob", False) == 0.0  # other chats are not held up
    clock.advance(0.25)
    assert limiter.delay("alice", False) == pytest.approx(0.75)
    clock.advance(0.75)
    send(limiter, "alice")
    assert limiter.delay("alice", False) == pytest.approx(1.0), "the bucket refills one send a second"
    clock.advance(1.0)
    send(limiter, "alice")


def test_a_private_bucket_refills_to_its_capacity_and_no_more(limiter: RateLimiter, clock: FakeClock):
    for _ in range(5):
        send(limiter, "alice")
    clock.advance(2.5)  # two and a half sends refilled
    send(limiter, "alice")
    send(limiter, "alice")
    assert limiter.delay("alice", False) == pytest.approx(0.5)
    clock.advance(3600.0)  # a long quiet: the bucket is full, not fuller
    for _ in range(5):
        send(limiter, "alice")
    assert limiter.delay("alice", False) == pytest.approx(1.0)


@pytest.mark.parametrize(("rate", "burst", "waits"), [(2, 1, [0.5]), (1, 3, [0.0, 0.0, 1.0]), (4, 2, [0.0, 0.25])])
def test_private_bucket_follows_its_rate_and_burst(clock: FakeClock, rate: int, burst: int, waits: list[float]):
    limiter = RateLimiter(Limits(private_per_second=rate, private_burst=burst), clock=clock)
    observed = []
    for _ in waits:
        limiter.record("alice", False)
        observed.append(limiter.delay("alice", False))
    assert observed == pytest.approx(waits)


def test_a_send_counts_from_when_it_was_answered(limiter: RateLimiter, clock: FakeClock):
    slow = limiter.record("chat0", False)
    clock.advance(0.3)  # the platform took 0.3 s to answer it: it may have counted it as late as that
    limiter.settle(slow)
    for i in range(1, 30):
        send(limiter, f"chat{i}")
    assert limiter.delay("late", False) == pytest.approx(1.0), "a second from the answer, not from the start"


def test_a_send_in_flight_counts_before_it_is_answered(limiter: RateLimiter, clock: FakeClock):
    flying = [limiter.record(f"chat{i}", False) for i in range(30)]
    assert limiter.delay("other", False) == pytest.approx(1.0)
    clock.advance(0.5)
    for sent in flying:
        limiter.settle(sent)
    assert limiter.delay("other", False) == pytest.approx(1.0)


def test_a_send_still_in_flight_a_second_later_still_counts(limiter: RateLimiter, clock: FakeClock):
    """Thirty sends slow to be answered: a 31st must not go when their starts leave the window, since the platform
    may receive them as late as their answers."""
    flying = [limiter.record(f"chat{i}", False) for i in range(30)]
    clock.advance(1.5)
    assert limiter.delay("other", False) > 0
    limiter.settle(flying[0])
    assert limiter.delay("other", False) == pytest.approx(1.0), "a second after the first answer"
    clock.advance(1.0)
    assert limiter.delay("other", False) == 0.0


def test_a_send_never_made_is_released(limiter: RateLimiter):
    flying = [limiter.record(f"chat{i}", False) for i in range(30)]
    assert limiter.delay("other", False) > 0
    limiter.release(flying[-1])
    assert limiter.delay("other", False) == 0.0
    assert limiter.delay("chat29", False) == 0.0, "its chat's bucket given back"


def test_settling_a_private_send_delays_its_chat_by_the_time_it_took(clock: FakeClock):
    limiter = RateLimiter(Limits(private_burst=1), clock=clock)
    sent = limiter.record("alice", False)
    clock.advance(0.2)
    limiter.settle(sent)
    assert limiter.delay("alice", False) == pytest.approx(1.0)


def test_settling_a_group_send_moves_it_in_the_minute(limiter: RateLimiter, clock: FakeClock):
    first = limiter.record("group", True)
    clock.advance(1.0)
    limiter.settle(first)
    for _ in range(16):
        send(limiter, "group", is_group=True)
    assert limiter.delay("group", True) == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("step", "expected_wait"),
    [
        (0.0, 60.0),  # all 17 in the same instant
        (1.0, 44.0),  # sends at t=0..16, the 18th asked at t=16
        (3.0, 12.0),  # sends at t=0..48
    ],
)
def test_group_gets_17_per_minute(limiter: RateLimiter, clock: FakeClock, step: float, expected_wait: float):
    start = clock.now
    for i in range(17):
        if i:
            clock.advance(step)
        send(limiter, "group", is_group=True)
    assert limiter.delay("group", True) == pytest.approx(expected_wait)
    clock.advance(expected_wait - 0.001)
    assert limiter.delay("group", True) == pytest.approx(0.001)
    clock.advance(0.001)
    assert clock.now == pytest.approx(start + 60.0)
    send(limiter, "group", is_group=True)
    # The window slides: the next one waits for the second send to leave.
    assert limiter.delay("group", True) == pytest.approx(step)


def test_group_is_not_limited_per_second_beyond_the_global(limiter: RateLimiter):
    for _ in range(17):
        send(limiter, "group", is_group=True)
    # Thirteen more sends to other chats fill the global window exactly.
    for i in range(13):
        send(limiter, f"private{i}")
    assert limiter.delay("other-group", True) == pytest.approx(1.0)


def test_group_waits_for_the_longer_of_global_and_its_own(limiter: RateLimiter, clock: FakeClock):
    for i in range(30):
        send(limiter, f"chat{i}")
    clock.advance(0.5)
    for _ in range(17):
        clock.advance(0.01)
        limiter.record("group", True)  # past the global limit on purpose: the limiter only advises
    # Group sends at +0.51 … +0.67, now +0.67: the first leaves the minute at +60.51.
    assert limiter.delay("group", True) == pytest.approx(60.0 - 0.16)
    clock.advance(59.84)
    send(limiter, "group", is_group=True)


def test_custom_limits(clock: FakeClock):
    limits = Limits(global_per_second=2, private_per_second=2, group_per_minute=1, private_burst=1)
    limiter = RateLimiter(limits, clock=clock)
    send(limiter, "alice")
    assert limiter.delay("alice", False) == pytest.approx(0.5)
    clock.advance(0.5)
    send(limiter, "alice")
    assert limiter.delay("alice", False) == pytest.approx(0.5)
    assert limiter.delay("bob", False) == pytest.approx(0.5)  # global of 2: the first left at +1.0
    clock.advance(1.0)
    send(limiter, "group", is_group=True)
    assert limiter.delay("group", True) == pytest.approx(60.0)


@pytest.mark.parametrize("is_group", [False, True])
def test_pause_blocks_every_chat(limiter: RateLimiter, clock: FakeClock, is_group: bool):
    limiter.pause(30.0)
    assert limiter.paused_for() == pytest.approx(30.0)
    assert limiter.delay("never-seen", is_group) == pytest.approx(30.0)
    clock.advance(10.0)
    assert limiter.paused_for() == pytest.approx(20.0)
    assert limiter.delay("never-seen", is_group) == pytest.approx(20.0)
    clock.advance(20.0)
    assert limiter.paused_for() == 0.0
    send(limiter, "never-seen", is_group)


def test_shorter_pause_does_not_shorten_a_longer_one(limiter: RateLimiter, clock: FakeClock):
    limiter.pause(30.0)
    clock.advance(5.0)
    limiter.pause(3.0)
    assert limiter.paused_for() == pytest.approx(25.0)
    limiter.pause(40.0)
    assert limiter.paused_for() == pytest.approx(40.0)


@pytest.mark.parametrize("seconds", [0.0, -5.0])
def test_empty_or_negative_pause_is_no_pause(limiter: RateLimiter, seconds: float):
    limiter.pause(seconds)
    assert limiter.paused_for() == 0.0
    assert limiter.delay("a", False) == 0.0


def test_delay_is_the_longest_of_pause_and_windows(limiter: RateLimiter, clock: FakeClock):
    for _ in range(17):
        limiter.record("group", True)
    limiter.pause(5.0)
    assert limiter.delay("group", True) == pytest.approx(60.0)
    assert limiter.delay("alice", False) == pytest.approx(5.0)


def test_forgets_chats_with_no_recent_sends(limiter: RateLimiter, clock: FakeClock):
    for i in range(50):
        limiter.settle(limiter.record(f"chat{i}", False))
    limiter.settle(limiter.record("group", True))
    assert len(limiter.tracked_chats) == 51
    clock.advance(0.5)
    limiter.prune()
    assert len(limiter.tracked_chats) == 51  # a private bucket one send short until a second has passed
    clock.advance(58.5)
    limiter.prune()
    assert limiter.tracked_chats == frozenset({"group"})  # still inside its minute
    clock.advance(1.0)
    limiter.prune()
    assert limiter.tracked_chats == frozenset()
    assert limiter.delay("group", True) == 0.0


def test_record_sweeps_stale_chats(limiter: RateLimiter, clock: FakeClock):
    for i in range(50):
        limiter.settle(limiter.record(f"chat{i}", False))
    clock.advance(3600.0)
    send(limiter, "fresh")
    assert limiter.tracked_chats == frozenset({"fresh"})


def test_memory_per_chat_is_bounded(limiter: RateLimiter, clock: FakeClock):
    for _ in range(1000):
        limiter.settle(limiter.record("group", True))
        limiter.settle(limiter.record("alice", False))
        clock.advance(0.001)
    assert all(len(sends) <= 17 for sends in limiter._groups.values())
    assert len(limiter._global) <= 30
    # Capping memory keeps the answer exact: the 17th-latest group send is what counts.
    assert limiter.delay("group", True) == pytest.approx(60.0 - 0.017)
