using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Text;

/// <summary>
/// The one set of writer options for JSON that people read (command replies, <c>gatewayctl</c> output). The default
/// encoder escapes for embedding in HTML: an apostrophe becomes <c>\u0027</c> and "°C" becomes <c>\u00B0C</c>, which
/// is valid JSON but unreadable in a terminal. These options escape only what JSON requires (quotes, backslashes,
/// control characters), so the text reads as written. Never embed such JSON in HTML or a script unescaped: the
/// dashboard puts replies into the page as text (textContent), not markup.
/// </summary>
public static class ReadableJson
{
    /// <summary>Options for a <see cref="Utf8JsonWriter"/> whose output a person reads; see the class remarks for
    /// why it must never go into HTML as markup.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
