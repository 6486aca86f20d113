using Microsoft.AspNetCore.Http;

namespace OrchUpgradePrep.Gates;

/// <summary>Reads a request body whole, up to <see cref="GateSettings.MaxBodyBytes"/>: a signature is computed over
/// the raw bytes before anything is parsed, and a larger body is refused (413) without being buffered.</summary>
public static class GateRequestBody
{
    /// <summary>The bytes, or null after answering 413.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long limit = GateSettings.MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
