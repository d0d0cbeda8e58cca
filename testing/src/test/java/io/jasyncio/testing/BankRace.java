package io.jasyncio.testing;

import io.jasyncio.Async;
import io.jasyncio.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worked example of docs/testing.md: a check-then-act race across an await.
 *
 * <p>Alice withdraws 80 at a cash machine; Bob, who must log in to his banking app first, withdraws
 * 50. Each withdrawal checks the balance, then awaits a fraud check, then takes the money: the
 * check is stale by the time it is acted on. Both start together with 100 in the account; the login
 * and the fraud check each take 20 ms.
 */
final class BankRace {

    static final Duration LOGIN = Duration.ofMillis(20);
    static final Duration FRAUD_CHECK = Duration.ofMillis(20);

    /** The seed docs/testing.md quotes: the first of 0, 1, 2, ... under which the race shows. */
    static final long CATCHING_SEED = 4;

    private BankRace() {
    }

    static final class Account {
        private long balance;
        final List<String> log = new ArrayList<>();

        Account(long balance) {
            this.balance = balance;
        }

        long balance() {
            return balance;
        }

        /** The bug: the balance checked before the await is not the balance after it. */
        boolean withdraw(String who, long amount) {
            if (balance < amount) {
                note(who + " is refused " + amount + ": balance " + balance);
                return false;
            }
            note(who + " checks: balance " + balance + " covers " + amount);
            Async.sleep(FRAUD_CHECK);          // any await: other tasks run here
            balance -= amount;
            note(who + " withdraws " + amount + ": balance " + balance);
            return true;
        }

        /** The fix: take the money before the await, give it back if the fraud check says no. */
        boolean withdrawSafely(String who, long amount) {
            if (balance < amount) {
                note(who + " is refused " + amount + ": balance " + balance);
                return false;
            }
            balance -= amount;
            note(who + " reserves " + amount + ": balance " + balance);
            Async.sleep(FRAUD_CHECK);
            note(who + " withdraws " + amount);
            return true;
        }

        private void note(String what) {
            log.add("t=" + Async.currentLoop().time() / 1_000_000 + "ms " + what);
        }
    }

    /** Runs both customers against one account; fails if the account ends overdrawn. Returns the log. */
    static List<String> scenario() {
        return scenario(false);
    }

    static List<String> scenario(boolean fixed) {
        Account account = new Account(100);
        try (TaskGroup bank = Async.taskGroup()) {
            bank.spawn("alice", () -> fixed ? account.withdrawSafely("alice", 80) : account.withdraw("alice", 80));
            bank.spawn("bob", () -> {
                Async.sleep(LOGIN);
                return fixed ? account.withdrawSafely("bob", 50) : account.withdraw("bob", 50);
            });
        }
        if (account.balance() < 0) {
            throw new AssertionError("account overdrawn: balance " + account.balance() + " after " + account.log);
        }
        return account.log;
    }
}
