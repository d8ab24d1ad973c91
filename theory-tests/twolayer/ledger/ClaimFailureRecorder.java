package twolayer.ledger;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Records a claim as failed, with the exception, when a claim test throws before its {@link Claim#check} (an
 * experiment that diverges, a bad configuration, an index error): without it such a claim would keep the status of its
 * earlier cases, or have no record at all, and the ledger would not show the failure. Register it on a claim class
 * with {@code @ExtendWith(ClaimFailureRecorder.class)}. The exception is rethrown unchanged.
 *
 * <p>Which claim a test checks: the claims ({@code static final Claim} fields) of its class whose id appears in the
 * test's display name or in that of its parameterised template (e.g. "NTK-3 linearised flow = ..."), or, if the class
 * defines a single claim, that one. A failure of {@code @BeforeAll} or {@code @AfterAll} is recorded for every claim of
 * the class. The assertion error of a failing check is not recorded twice.
 */
public final class ClaimFailureRecorder implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final Pattern ID = Pattern.compile("\\b[A-Z]+-\\d+\\b");

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        record(claimsOf(context), throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        record(allClaims(context.getRequiredTestClass()), throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        record(claimsOf(context), throwable);
        throw throwable;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        record(claimsOf(context), throwable);
        throw throwable;
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        record(allClaims(context.getRequiredTestClass()), throwable);
        throw throwable;
    }

    private static void record(List<Claim> claims, Throwable throwable) {
        for (Claim c : claims) {
            c.recordFailure(throwable);
        }
    }

    /** The claims a test checks (class javadoc). */
    static List<Claim> claimsOf(ExtensionContext context) {
        List<Claim> all = allClaims(context.getRequiredTestClass());
        List<Claim> named = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent() && c.get().getTestMethod().isPresent();
             c = c.get().getParent()) {
            Matcher m = ID.matcher(c.get().getDisplayName());
            while (m.find()) {
                for (Claim claim : all) {
                    if (claim.id().equals(m.group()) && !named.contains(claim)) {
                        named.add(claim);
                    }
                }
            }
        }
        if (named.isEmpty() && all.size() == 1) {
            return all;
        }
        return named;
    }

    /** The static Claim fields of a test class and of its enclosing classes. */
    static List<Claim> allClaims(Class<?> testClass) {
        List<Claim> claims = new ArrayList<>();
        for (Class<?> k = testClass; k != null; k = k.getEnclosingClass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Claim.class) {
                    try {
                        f.setAccessible(true);
                        Claim claim = (Claim) f.get(null);
                        if (claim != null) {
                            claims.add(claim);
                        }
                    } catch (IllegalAccessException | RuntimeException e) {
                        // a field that cannot be read names no claim this recorder can update
                    }
                }
            }
        }
        return claims;
    }
}
