using System.Text;

namespace OrchUpgradePrep.Secrets;

/// <summary>
/// A <see cref="TextWriter"/> that masks secrets before they reach the inner writer. Text is held until a
/// line ends (or <see cref="Flush"/> / dispose), so a secret written in several pieces is still masked.
/// </summary>
public sealed class MaskingTextWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly SecretMasker _masker;
    private readonly bool _leaveOpen;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public MaskingTextWriter(TextWriter inner, SecretMasker masker, bool leaveOpen = false)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _masker = masker;
        _leaveOpen = leaveOpen;
        NewLine = inner.NewLine;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            if (value == '\n')
            {
                EmitCompleteLines();
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            _pending.Append(value);
            EmitCompleteLines();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            _pending.Append(buffer);
            EmitCompleteLines();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            EmitAll();
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Flush();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    // Everything up to the last LF goes out masked; the unfinished line waits for more text.
    private void EmitCompleteLines()
    {
        var lastNewLine = -1;
        for (var i = _pending.Length - 1; i >= 0; i--)
        {
            if (_pending[i] == '\n')
            {
                lastNewLine = i;
                break;
            }
        }

        if (lastNewLine < 0)
        {
            return;
        }

        var complete = _pending.ToString(0, lastNewLine + 1);
        _pending.Remove(0, lastNewLine + 1);
        _inner.Write(_masker.Mask(complete));
    }

    private void EmitAll()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        var text = _pending.ToString();
        _pending.Clear();
        _inner.Write(_masker.Mask(text));
    }
}
