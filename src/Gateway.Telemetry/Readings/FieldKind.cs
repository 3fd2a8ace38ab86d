namespace Gateway.Telemetry.Readings;

/// <summary>How a field value is written in line protocol (DESIGN §4.4).</summary>
public enum FieldKind : byte
{
    /// <summary>A float field: written as a decimal number without suffix.</summary>
    Float,

    /// <summary>A signed integer field: written with the <c>i</c> suffix.</summary>
    Integer,

    /// <summary>A boolean field (0 = false, anything else = true): written as <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>
    /// A string field whose value is one of a fixed list of names (<see cref="FieldDefinition.Labels"/>), chosen by the
    /// value slot as an index: a state such as a clock source travels as readable text while readings stay numeric
    /// and nothing is allocated per reading. An index outside the list leaves the field out.
    /// </summary>
    Label,
}
