package twolayer.model;

/**
 * The four parameter groups of a two-layer net: output weights a, input weights w, hidden biases b,
 * output bias c. Each group has its own multiplier, initial scale and relative rate (model chapter, section "Parameterisations").
 */
public enum Group {
    A("a"), W("w"), B("b"), C("c");

    private final String symbol;

    Group(String symbol) {
        this.symbol = symbol;
    }

    /** The symbol used in the chapters and in CSV/JSON output. */
    public String symbol() {
        return symbol;
    }
}
