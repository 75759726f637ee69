#!/usr/bin/python3
"""The small model of small_model.toml, written in SimPy 2 (Debian's python3-simpy, 2.3.1).

One provider (Atlas) is suspended at Poisson arrivals (4 a year); an arrival while it is
suspended does nothing; a suspension lasts an exponential time (mean 20 days). One buyer sends
its work to Atlas; when Atlas is cut off its work is unserved until it has switched, after
7 days, to a fallback provider that is never cut; it returns to Atlas as soon as Atlas is
restored. Served work is accounted on events (rate x time), as baskets does.

The processes mirror the agents of baskets: a government that draws arrivals and starts one
short-lived process per suspension (which lifts it), and a buyer that waits for a change of
its provider or for its switch delay, whichever comes first (a hold that the provider
interrupts). Each replica is a fresh Simulation with its own seeded random.Random.

Usage: simpy_small_model.py [-n REPLICAS] [--seed SEED]
Prints: replicas, seconds, replicas_per_second, served_share mean and standard error.
"""
import argparse
import math
import random
import time

from SimPy.Simulation import Process, Simulation, hold

HORIZON_DAYS = 3650.0
CUTOFF_RATE_PER_DAY = 4.0 / 365.0
CUTOFF_MEAN_DAYS = 20.0
SWITCH_DELAY_DAYS = 7.0
DEMAND_PER_DAY = 10.0


class Provider:
    """A provider's state and who must hear when it changes."""

    def __init__(self):
        self.serving = True
        self.suspended = False  # a suspension is in force (arrivals meanwhile do nothing)
        self.subscribers = []

    def set_serving(self, serving, by):
        self.serving = serving
        for buyer in self.subscribers:
            by.interrupt(buyer)


class Lift(Process):
    """Ends one suspension after its duration (unless that is beyond the horizon)."""

    def run(self, provider, until):
        if until >= HORIZON_DAYS:
            return
        yield hold, self, until - self.sim.now()
        provider.suspended = False
        provider.set_serving(True, self)


class Government(Process):
    """Suspends the provider at Poisson arrivals, each for an exponential duration."""

    def run(self, provider, rng):
        while True:
            next_arrival = self.sim.now() + rng.expovariate(CUTOFF_RATE_PER_DAY)
            if next_arrival >= HORIZON_DAYS:
                return
            yield hold, self, next_arrival - self.sim.now()
            if provider.suspended:
                continue
            provider.suspended = True
            until = self.sim.now() + rng.expovariate(1.0 / CUTOFF_MEAN_DAYS)
            provider.set_serving(False, self)
            lift = Lift(name="lift", sim=self.sim)
            self.sim.activate(lift, lift.run(provider, until))


class Buyer(Process):
    """Sends its work to the primary; fails over after the switch delay; returns at once."""

    def run(self, primary):
        self.served = 0.0
        on = "primary" if primary.serving else None
        since = 0.0  # start of the current serving stretch
        switch_at = None if on else SWITCH_DELAY_DAYS
        while True:
            wake = HORIZON_DAYS if switch_at is None else min(switch_at, HORIZON_DAYS)
            yield hold, self, wake - self.sim.now()
            now = self.sim.now()
            if self.interrupted():  # the primary changed state
                self.interruptReset()
                if primary.serving and on != "primary":
                    if on == "fallback":
                        self.served += DEMAND_PER_DAY * (now - since)
                    on, since, switch_at = "primary", now, None
                elif not primary.serving and on == "primary":
                    self.served += DEMAND_PER_DAY * (now - since)
                    on, switch_at = None, now + SWITCH_DELAY_DAYS
                continue
            if now >= HORIZON_DAYS:
                break
            on, since, switch_at = "fallback", now, None  # the switch delay is over
        if on is not None:
            self.served += DEMAND_PER_DAY * (HORIZON_DAYS - since)


def run_replica(seed, replica):
    """Returns the buyer's served share in one replica."""
    rng = random.Random(seed * 1_000_003 + replica)
    sim = Simulation()
    primary = Provider()
    buyer = Buyer(name="buyer", sim=sim)
    primary.subscribers.append(buyer)
    government = Government(name="government", sim=sim)
    sim.activate(buyer, buyer.run(primary))
    sim.activate(government, government.run(primary, rng))
    sim.simulate(until=HORIZON_DAYS)
    return buyer.served / (DEMAND_PER_DAY * HORIZON_DAYS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--replicas", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    shares = [run_replica(args.seed, r) for r in range(args.replicas)]
    seconds = time.perf_counter() - start

    n = len(shares)
    mean = sum(shares) / n
    variance = sum((s - mean) ** 2 for s in shares) / (n - 1) if n > 1 else 0.0
    print(f"replicas {n}")
    print(f"seconds {seconds:.6f}")
    print(f"replicas_per_second {n / seconds:.3f}")
    print(f"served_share {mean:.6f} {math.sqrt(variance / n):.6f}")


if __name__ == "__main__":
    main()
