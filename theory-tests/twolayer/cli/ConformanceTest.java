package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static twolayer.cli.KernelCommandTest.assertOneLineError;
import static twolayer.cli.KernelCommandTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.cli.KernelCommandTest.Run;
import twolayer.conformance.ConformanceVectors;

/**
 * The committed conformance vectors ({@code conformance/*.json}) are what the code produces now, so they cannot
 * drift from it; the command writes them deterministically; each file carries its conventions; and every case's
 * {@code command} really prints the case's values.
 */
class ConformanceTest {

    /** The committed vectors, relative to the project directory (where Maven runs the tests). */
    static final Path COMMITTED = Path.of("conformance");

    // tag::cli-conformance-drift-tolerance[]
    /*
     * How far a committed number may be from today's: |committed - now| at most
     * 1e-12 max(1, |now|). On the machine that generated them they agree to the bit.
     * Elsewhere Math's atan2, exp, expm1 and tanh may differ by an ulp or two (their javadoc
     * allows it, and JIT intrinsics differ between CPUs); the kernels pass that on through a
     * few flops (~1e-15), the predictions through their condition number (below 200 here,
     * ~1e-13). Any change of formula, input or convention moves values by far more.
     */
    static final double DRIFT_TOLERANCE = 1e-12;
    // end::cli-conformance-drift-tolerance[]

    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> generated;

    @BeforeAll
    static void generate() {
        generated = ConformanceCommand.vectors(Twolayer.VERSION);
    }

    @TempDir
    Path tmp;

    // tag::cli-conformance-committed[]
    /** The committed files are today's output: same keys and order, strings, numbers. */
    @Test
    void committedVectorsAreWhatTheCodeProducesNow() throws IOException {
        String regenerate = "; regenerate it: " + ConformanceVectors.REGENERATE;
        for (String file : generated.keySet()) {
            Path committed = COMMITTED.resolve(file);
            assertTrue(Files.isRegularFile(committed), committed + " missing" + regenerate);
            List<String> differences = new ArrayList<>();
            compare(file, JSON.readTree(Files.readString(committed)),
                    JSON.readTree(generated.get(file)), differences);
            List<String> first = differences.subList(0, Math.min(10, differences.size()));
            assertTrue(differences.isEmpty(), committed + " differs from what the code"
                    + " produces now: " + differences.size() + " differences" + regenerate
                    + "\n  " + String.join("\n  ", first));
        }
    }
    // end::cli-conformance-committed[]

    /** Structural comparison of two JSON trees, numbers to {@link #DRIFT_TOLERANCE}; differences are collected. */
    static void compare(String path, JsonNode committed, JsonNode now, List<String> differences) {
        if (committed.isObject() && now.isObject()) {
            List<String> a = new ArrayList<>(), b = new ArrayList<>();
            committed.fieldNames().forEachRemaining(a::add);
            now.fieldNames().forEachRemaining(b::add);
            if (!a.equals(b)) {
                differences.add(path + ": keys " + a + " but now " + b);
                return;
            }
            for (String key : a) {
                compare(path + "." + key, committed.get(key), now.get(key), differences);
            }
        } else if (committed.isArray() && now.isArray()) {
            if (committed.size() != now.size()) {
                differences.add(path + ": " + committed.size() + " elements but now " + now.size());
                return;
            }
            for (int i = 0; i < committed.size(); i++) {
                compare(path + "[" + i + "]", committed.get(i), now.get(i), differences);
            }
        } else if (committed.isFloatingPointNumber() && now.isFloatingPointNumber()) {
            double c = committed.doubleValue(), n = now.doubleValue();
            if (!(Math.abs(c - n) <= DRIFT_TOLERANCE * Math.max(1.0, Math.abs(n)))) {
                differences.add(path + ": " + c + " but now " + n);
            }
        } else if (!committed.equals(now)) {
            differences.add(path + ": " + committed + " but now " + now);
        }
    }

    /** The comparison is not vacuous: a number moved by 1e-9, a changed word and a missing key are each reported. */
    @Test
    void driftIsDetected() throws IOException {
        JsonNode now = JSON.readTree(generated.get(ConformanceVectors.KERNELS));
        String moved = generated.get(ConformanceVectors.KERNELS).replaceFirst("\"sigma_w\": 1.5", "\"sigma_w\": 1.5000000015")
                .replaceFirst("arc-cosine", "arccosine").replaceFirst("\"format\": [^\\n]*\\n", "");
        List<String> differences = new ArrayList<>();
        compare("kernels", JSON.readTree(moved), now, differences);
        assertEquals(List.of("kernels: keys [title, conventions, inputs, cases] but now [title, format, conventions, inputs, cases]"),
                differences);
        differences.clear();
        compare("kernels", JSON.readTree(moved).get("cases"), now.get("cases"), differences);
        assertEquals(2, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith("kernels[0].sigma_w: 1.5000000015 but now 1.5"), differences.toString());
        assertTrue(differences.get(1).startsWith("kernels[0].method: "), differences.toString());
    }

    /** The command writes both files, the same bytes each time, and the same as the generator. */
    @Test
    void commandWritesTheSameBytesEveryTime() throws IOException {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(0, run("conformance", "--out", first.toString()).code());
        Run again = run("conformance", "--out", second.toString());
        assertEquals(0, again.code(), again.toString());
        List<String> names = new ArrayList<>(generated.keySet());
        List<String> shown = names.stream().map(f -> second.resolve(f).toString()).toList();
        assertEquals("wrote " + String.join(", ", shown.subList(0, shown.size() - 1)) + " and "
                + shown.get(shown.size() - 1), again.out().strip());
        for (String file : generated.keySet()) {
            byte[] a = Files.readAllBytes(first.resolve(file)), b = Files.readAllBytes(second.resolve(file));
            assertArrayEquals(a, b, file + " must not change between runs");
            assertArrayEquals(generated.get(file).getBytes(StandardCharsets.UTF_8), a, file);
        }
        try (var files = Files.list(first)) {
            assertEquals(generated.keySet().stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "exactly the generated files");
        }
        assertEquals(List.of(ConformanceVectors.KERNELS, ConformanceVectors.PREDICTIONS, "gradients.json",
                "empirical-ntk.json", "gd-trajectories.json", "flow.json", "linearized.json", "coordinates.json",
                "mfld.json", "two-timescale.json", "phase-diagram.json"),
                new ArrayList<>(generated.keySet()), "the files, in order");
        for (String file : generated.keySet()) {
            assertTrue(generated.get(file).length() < 400_000, file + " stays small: " + generated.get(file).length());
        }
    }

    /** Each file states its conventions, version and regeneration command, and no machine path or time stamp. */
    @Test
    void eachFileCarriesItsConventions() throws IOException {
        for (String file : generated.keySet()) {
            String text = generated.get(file);
            JsonNode conventions = JSON.readTree(text).get("conventions");
            assertEquals(Twolayer.VERSION, conventions.at("/software/version").asText(), file);
            assertEquals("twolayer conformance --out conformance", conventions.at("/software/command").asText(), file);
            assertTrue(conventions.get("regenerate").asText().endsWith("java -jar target/twolayer.jar conformance --out conformance"));
            for (String key : new String[] {"network", "numbers", "tolerance"}) {
                assertTrue(conventions.hasNonNull(key), file + " conventions lack " + key);
            }
            if (file.startsWith("ntk-")) {
                assertTrue(conventions.hasNonNull("neural_tangents") && conventions.hasNonNull("kernels"), file);
                assertTrue(conventions.at("/kernels/ntk").asText().contains("NTK(x, x') = NNGP(x, x') + sigma_v^2 SigmaDot"), file);
            } else if (!file.equals("coordinates.json")) {
                assertTrue(conventions.get("loss").asText().equals(twolayer.dynamics.Conventions.LOSS), file);
                assertTrue(conventions.get("dynamics").asText().contains("d theta_g/dt = -rho_g grad_g L"), file);
                assertTrue(conventions.get("dynamics").asText().contains("t = eta k after k steps"), file);
            }
            assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), file + " is plain ASCII");
            for (String machine : new String[] {"/tmp", "/home", "/work", "/root", "/Users", ":\\"}) {
                assertTrue(!text.contains(machine), file + " must not contain the machine path " + machine);
            }
            assertTrue(!text.matches("(?s).*\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*"), file + " must carry no time stamp");
        }
        JsonNode predictions = JSON.readTree(generated.get(ConformanceVectors.PREDICTIONS)).get("conventions");
        assertTrue(predictions.get("loss").asText().startsWith("L = 1/(2n) sum_i (f(x_i) - y_i)^2"));
        assertTrue(predictions.get("time").asText().contains("t = eta * k after k steps"));
    }

    /** The vectors cover what they promise: every activation x kind x bias x fan-in mode, and the hard inputs. */
    @Test
    void kernelVectorsCoverTheirCases() throws IOException {
        JsonNode doc = JSON.readTree(generated.get(ConformanceVectors.KERNELS));
        List<String> ids = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            ids.add(c.get("id").asText());
            JsonNode x1 = doc.at("/inputs/" + c.get("x1").asText()), x2 = doc.at("/inputs/" + c.get("x2").asText());
            assertEquals(x1.get("n").asInt(), c.get("k").size(), c.get("id").asText());
            assertEquals(x2.get("n").asInt(), c.get("k").get(0).size(), c.get("id").asText());
        }
        for (String set : new String[] {"gaussian-d3", "angles-d2"}) {
            for (String sigma : new String[] {"relu", "erf"}) {
                for (String kind : new String[] {"ntk", "nngp"}) {
                    for (String bias : new String[] {"bias", "no-bias"}) {
                        for (String fanIn : new String[] {"fan-in", "no-fan-in"}) {
                            assertTrue(ids.contains(String.join("/", set, sigma, kind, bias, fanIn)), set + sigma + kind);
                        }
                    }
                }
            }
            assertTrue(ids.contains(set + "/tanh/ntk/bias/fan-in"), set);
        }
        // the hard inputs: a zero vector, nearly parallel and exactly antiparallel unit vectors
        List<double[]> angles = new ArrayList<>();
        doc.at("/inputs/angles-d2/x").forEach(row -> angles.add(new double[] {row.get(0).asDouble(), row.get(1).asDouble()}));
        assertTrue(angles.stream().anyMatch(p -> p[0] == 0 && p[1] == 0), "a zero vector");
        assertTrue(angles.stream().anyMatch(p -> p[0] == -1 && p[1] == 0), "an exactly antiparallel pair");
        assertTrue(angles.stream().anyMatch(p -> p[0] < 1 && p[0] > 1 - 1e-11), "a nearly parallel pair");
    }

    /**
     * The noisy vectors cover what they promise (MFLD with and without hidden biases, tanh and relu, all three
     * strengths positive; two-timescale exact and at a finite ratio) and give every increment the run draws: xi
     * has one row per step of P = m + md (+ m) numbers for MFLD, md (+ m) for two-timescale training.
     */
    @Test
    void noisyVectorsGiveTheirNoise() throws IOException {
        JsonNode mfld = JSON.readTree(generated.get("mfld.json"));
        List<String> kinds = new ArrayList<>();
        for (JsonNode c : mfld.get("cases")) {
            int m = c.get("m").asInt(), d = c.get("d").asInt();
            int p = m + m * d + (c.get("hidden_bias").asBoolean() ? m : 0);
            assertXi(c, p);
            for (String key : new String[] {"lambda", "lambdaA", "lambdaW"}) {
                assertTrue(c.get(key).asDouble() > 0, c.get("id") + " " + key);
            }
            assertTrue(c.get("snapshots").get(0).get("energy").isDouble(), c.get("id").asText());
            kinds.add(c.get("activation").asText() + "/" + c.get("hidden_bias").asBoolean());
        }
        assertTrue(kinds.containsAll(List.of("tanh/false", "tanh/true", "relu/true")), kinds.toString());
        JsonNode tt = JSON.readTree(generated.get("two-timescale.json"));
        List<String> ratios = new ArrayList<>();
        for (JsonNode c : tt.get("cases")) {
            int m = c.get("m").asInt(), d = c.get("d").asInt();
            assertXi(c, m * d + (c.get("biases").asBoolean() ? m : 0));
            ratios.add(c.get("ratio").asText());
            assertEquals(c.get("ratio").asText().equals("inf"), c.get("substeps").isNull(), c.get("id").asText());
            for (String key : new String[] {"alpha", "readouts", "g0", "energy", "alignment", "df"}) {
                assertTrue(c.get("snapshots").get(0).hasNonNull(key), c.get("id") + " " + key);
            }
        }
        assertTrue(ratios.contains("inf") && ratios.stream().anyMatch(r -> !r.equals("inf")), ratios.toString());
        // the label-noise case gives one row of n values of eps per step, each within [-sigma, sigma]
        int n = tt.at("/inputs/y_squared").size(), withEps = 0;
        for (JsonNode c : tt.get("cases")) {
            if (!c.has("eps")) {
                continue;
            }
            withEps++;
            double sigma = c.get("label_noise").asDouble();
            assertEquals("inf", c.get("ratio").asText(), "the label-noise procedure needs the exact inner solve");
            assertEquals(c.get("steps").asInt(), c.get("eps").size(), c.get("id") + ": one row of eps per step");
            c.get("eps").forEach(row -> {
                assertEquals(n, row.size(), c.get("id") + ": n values of eps per step");
                row.forEach(v -> assertTrue(Math.abs(v.asDouble()) <= sigma, c.get("id") + ": eps in [-sigma, sigma]"));
            });
        }
        assertEquals(1, withEps, "one two-timescale case with the label-noise procedure");
    }

    /**
     * The phase-diagram vector covers the three regimes, each case's RD is what {@code PhaseRun.fixedSteps} gives
     * from its theta0, and RD grows from 0 at step 0.
     */
    @Test
    void phaseDiagramVectorCoversTheRegimes() throws IOException {
        JsonNode doc = JSON.readTree(generated.get("phase-diagram.json"));
        List<String> regimes = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            regimes.add(c.get("regime").asText());
            JsonNode first = c.get("snapshots").get(0), last = c.get("snapshots").get(c.get("snapshots").size() - 1);
            assertEquals(0, first.get("step").asInt());
            assertEquals(0.0, first.get("rd_w").asDouble(), c.get("id").asText());
            assertEquals(c.get("steps").asInt(), last.get("step").asInt());
            assertTrue(last.get("rd_w").asDouble() > 0.05, c.get("id") + ": the input weights move");
            assertTrue(last.get("loss").asDouble() < first.get("loss").asDouble(), c.get("id") + ": the loss falls");
            assertTrue(c.get("rd_tolerance").asDouble() >= c.get("tolerance").asDouble(), c.get("id").asText());
        }
        assertEquals(List.of("linear", "critical", "condensed"), regimes);
    }

    private static void assertXi(JsonNode c, int p) {
        JsonNode xi = c.get("xi");
        assertEquals(c.get("steps").asInt(), xi.size(), c.get("id") + ": one row of xi per step");
        xi.forEach(row -> assertEquals(p, row.size(), c.get("id") + ": P increments per step"));
    }

    // tag::cli-conformance-commands[]
    /** Each kernel case's command, run on its inputs as CSV, prints its k to the bit. */
    @Test
    void everyKernelCaseIsWhatItsCommandPrints() throws IOException {
        JsonNode doc = JSON.readTree(generated.get(ConformanceVectors.KERNELS));
        for (JsonNode c : doc.get("cases")) {
            List<String> args = new ArrayList<>();
            for (String token : c.get("command").asText().split(" ")) {
                if (token.endsWith(".csv")) {          // NAME.csv holds inputs[NAME].x
                    String set = token.substring(0, token.length() - ".csv".length());
                    token = writeCsv(token, doc.at("/inputs/" + set + "/x")).toString();
                }
                args.add(token);
            }
            // run it in-process, without the leading "twolayer"
            Run r = run(args.subList(1, args.size()).toArray(String[]::new));
            assertEquals(0, r.code(), c.get("id") + ": " + r);
            assertArrayEquals(numbers(c.get("k")), parse(r.out()), c.get("id").asText());
        }
    }
    // end::cli-conformance-commands[]

    /** Each prediction case's command prints the case's predictions to the bit. */
    @Test
    void everyPredictionCaseIsWhatItsCommandPrints() throws IOException {
        JsonNode doc = JSON.readTree(generated.get(ConformanceVectors.PREDICTIONS));
        for (JsonNode c : doc.get("cases")) {
            List<String> args = new ArrayList<>();
            for (String token : c.get("command").asText().split(" ")) {
                if (token.endsWith(".csv")) {
                    String field = token.substring(0, token.length() - ".csv".length());
                    token = writeCsv(token, c.get(field)).toString();
                }
                args.add(token);
            }
            Run r = run(args.subList(1, args.size()).toArray(String[]::new));
            assertEquals(0, r.code(), c.get("id") + ": " + r);
            List<Double> expected = new ArrayList<>();
            for (JsonNode at : c.get("predictions")) {
                at.get("train").forEach(v -> expected.add(v.asDouble()));
                at.get("test").forEach(v -> expected.add(v.asDouble()));
            }
            List<String> lines = r.out().lines().toList();
            assertEquals(expected.size() + 1, lines.size(), r.toString());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), Double.parseDouble(lines.get(i + 1).split(",")[3]), 0.0,
                        c.get("id") + " row " + (i + 1));
            }
            assertTrue(r.err().contains("numerical rank " + c.get("rank").asInt() + " of " + c.get("train_y").size()),
                    r.toString());
        }
    }

    /**
     * The predictions keep their boundary values: f(0) = f0 exactly; at t = inf a full-rank case fits train_y to its
     * tolerance, and the singular one (rank &lt; n) does not.
     */
    @Test
    void predictionVectorsKeepTheirBoundaryValues() throws IOException {
        JsonNode doc = JSON.readTree(generated.get(ConformanceVectors.PREDICTIONS));
        boolean singular = false;
        for (JsonNode c : doc.get("cases")) {
            String id = c.get("id").asText();
            JsonNode first = c.get("predictions").get(0), last = c.get("predictions").get(c.get("predictions").size() - 1);
            assertEquals(0.0, first.get("time").asDouble(), id);
            assertArrayEquals(numbers(c.get("f0_train")), numbers(first.get("train")), id);
            assertArrayEquals(numbers(c.get("f0_test")), numbers(first.get("test")), id);
            assertEquals("inf", last.get("time").asText(), id);
            double gap = 0;
            double[] y = numbers(c.get("train_y")), fit = numbers(last.get("train"));
            for (int i = 0; i < y.length; i++) {
                gap = Math.max(gap, Math.abs(fit[i] - y[i]));
            }
            if (c.get("rank").asInt() == y.length) {
                assertTrue(gap <= c.get("tolerance").asDouble(), id + ": |f(inf) - y| = " + gap);
            } else {
                singular = true;
                assertTrue(gap > 0.1, id + ": the null-space part of y stays unfit, |f(inf) - y| = " + gap);
            }
        }
        assertTrue(singular, "one case has a singular kernel");
    }

    /**
     * The finite-net vectors cover what they promise: gradients for every activation x preset x bias x loss, the
     * relu cases away from the kink, the descent kinds, and every tolerance positive and small.
     */
    @Test
    void dynamicsVectorsCoverTheirCases() throws IOException {
        JsonNode gradients = JSON.readTree(generated.get("gradients.json"));
        List<String> ids = new ArrayList<>();
        gradients.get("cases").forEach(c -> ids.add(c.get("id").asText()));
        for (String sigma : new String[] {"relu", "erf", "tanh", "sigmoid", "softplus"}) {
            for (String preset : new String[] {"ntk", "standard", "meanField", "muP", "initCorrectedMeanField"}) {
                for (String bias : new String[] {"bias", "no-bias"}) {
                    for (String loss : new String[] {"squared", "logistic"}) {
                        assertTrue(ids.contains(String.join("/", sigma, preset, bias, loss)), sigma + preset + bias + loss);
                    }
                }
            }
        }
        assertEquals(100, ids.size());
        for (JsonNode c : gradients.get("cases")) {
            String id = c.get("id").asText();
            assertTrue(c.get("tolerance").asDouble() >= 1e-12 && c.get("tolerance").asDouble() < 1e-10, id);
            assertEquals(c.get("biases").asBoolean(), !c.at("/theta/b").isNull(), id);
            if (id.startsWith("relu/")) {
                for (JsonNode row : c.get("preactivations")) {
                    row.forEach(z -> assertTrue(Math.abs(z.asDouble()) >= 0.1, id + ": a pre-activation near the kink"));
                }
            }
            if (id.contains("initCorrectedMeanField")) {
                assertTrue(Arrays.stream(numbers(c.get("offset"))).anyMatch(g -> g != 0), id + ": IC-MF has an offset");
            }
        }
        JsonNode gd = JSON.readTree(generated.get("gd-trajectories.json"));
        List<String> kinds = new ArrayList<>();
        for (JsonNode c : gd.get("cases")) {
            kinds.add(c.get("id").asText().split("/")[0]);
            assertTrue(c.get("tolerance").asDouble() < 1e-8, c.get("id").asText());
            JsonNode last = c.get("snapshots").get(c.get("snapshots").size() - 1);
            assertEquals(20, last.get("step").asInt());
            assertTrue(last.get("loss").asDouble() < c.get("snapshots").get(0).get("loss").asDouble(),
                    c.get("id") + ": the run learns");
        }
        assertEquals(List.of("plain", "momentum", "rates", "minibatch", "plain", "plain"), kinds);
        for (String file : new String[] {"flow.json", "linearized.json"}) {
            JsonNode doc = JSON.readTree(generated.get(file));
            for (JsonNode c : doc.has("cases") ? doc.get("cases") : doc.get("flow_cases")) {
                JsonNode errors = c.get("integrator_errors");
                // the reference's own error is far below the tolerance an implementation is held to
                assertTrue(errors.get("reference_vs_tol_1e-14").asDouble() * 10 < c.get("tolerance").asDouble(),
                        file + " " + c.get("id"));
                assertTrue(c.get("tolerance").asDouble() <= 1e-8, file + " " + c.get("id"));
            }
        }
    }

    /** A mini-batch case is what GradientDescent.withBatches makes of its listed batches, bit for bit. */
    @Test
    void miniBatchCaseIsItsGivenSchedule() throws IOException {
        JsonNode doc = JSON.readTree(generated.get("gd-trajectories.json"));
        JsonNode c = null;
        for (JsonNode candidate : doc.get("cases")) {
            if (!candidate.get("batches").isNull()) {
                c = candidate;
            }
        }
        assertTrue(c != null, "a mini-batch case");
        int m = c.get("m").asInt(), d = c.get("d").asInt();
        double[] x = numbers(doc.at("/inputs/x")), y = numbers(doc.at("/inputs/" + c.get("y").asText()));
        int n = y.length;
        List<Double> theta0 = new ArrayList<>();
        for (String g : new String[] {"a", "w", "b", "c"}) {
            for (double v : numbers(c.at("/theta0/" + g).isArray() ? c.at("/theta0/" + g)
                    : JSON.createArrayNode().add(c.at("/theta0/" + g)))) {
                theta0.add(v);
            }
        }
        twolayer.model.TwoLayerNet net = twolayer.model.TwoLayerNet.withInitialParameters(d, m,
                twolayer.model.Activation.parse(c.get("activation").asText()),
                twolayer.model.Parameterization.preset("standard", 1.5, 0.8, 0.3),
                theta0.stream().mapToDouble(Double::doubleValue).toArray());
        twolayer.dynamics.TrainingProblem problem = new twolayer.dynamics.TrainingProblem(net,
                new twolayer.data.Dataset(x, y, n, d), twolayer.model.Loss.SQUARED,
                twolayer.model.Parallelism.sequential());
        int[][] batches = new int[c.get("batches").size()][];
        for (int k = 0; k < batches.length; k++) {
            batches[k] = new int[c.get("batches").get(k).size()];
            for (int i = 0; i < batches[k].length; i++) {
                batches[k][i] = c.get("batches").get(k).get(i).asInt();
            }
        }
        twolayer.dynamics.GradientDescent gd = twolayer.dynamics.GradientDescent.withBatches(problem,
                new twolayer.dynamics.GradientDescent.Config(c.get("eta").asDouble(), c.get("momentum").asDouble(),
                        batches[0].length, 0L), net.initialParameters(), batches);
        gd.advance(20);
        JsonNode last = c.get("snapshots").get(c.get("snapshots").size() - 1);
        assertArrayEquals(numbers(last.at("/theta/w")), Arrays.copyOfRange(gd.parameters(), m, m + m * d));
        // a bad schedule is a one-line error naming the field
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> twolayer.dynamics.GradientDescent.withBatches(problem,
                        new twolayer.dynamics.GradientDescent.Config(0.1, 0, 2, 0L), net.initialParameters(),
                        new int[][] {{0, 0}}));
        assertEquals("batches: batch 0 has row 0; rows must be distinct and in [0, " + n + ")", e.getMessage());
    }

    @Test
    void badOutIsAUsageError() throws IOException {
        assertOneLineError(run("conformance"), 2, "--out: required");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError(run("conformance", "--out", file.toString()), 2, "--out: '" + file + "' exists and is not a directory");
        Run help = run("conformance", "--help");
        assertTrue(help.out().contains("deterministic") && help.out().contains("tolerance"), help.toString());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A JSON array of numbers or of rows of numbers as CSV in a file of the temporary directory. */
    Path writeCsv(String name, JsonNode array) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (JsonNode row : array) {
            if (row.isArray()) {
                List<String> cells = new ArrayList<>();
                row.forEach(v -> cells.add(Double.toString(v.asDouble())));
                csv.append(String.join(",", cells)).append('\n');
            } else {
                csv.append(Double.toString(row.asDouble())).append('\n');
            }
        }
        return Files.writeString(tmp.resolve(name), csv.toString());
    }

    /** All numbers of a JSON array (of rows), in order. */
    static double[] numbers(JsonNode array) {
        List<Double> values = new ArrayList<>();
        Iterator<JsonNode> it = array.elements();
        while (it.hasNext()) {
            JsonNode v = it.next();
            if (v.isArray()) {
                v.forEach(w -> values.add(w.asDouble()));
            } else {
                values.add(v.asDouble());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** All numbers of printed CSV, in order. */
    static double[] parse(String csv) {
        return csv.lines().flatMap(line -> Arrays.stream(line.split(","))).mapToDouble(Double::parseDouble).toArray();
    }
}
