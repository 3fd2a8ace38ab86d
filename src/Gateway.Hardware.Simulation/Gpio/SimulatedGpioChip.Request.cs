using System.Threading.Channels;
using Gateway.Hardware.Gpio;
using Gateway.Core.Counters;

namespace Gateway.Hardware.Simulation.Gpio;

public sealed partial class SimulatedGpioChip
{
    /// <summary>A request on the simulated chip: logical values, debounced edges with timestamps, a bounded event queue.</summary>
    private sealed class SimulatedLineRequest : GpioLineRequest
    {
        /// <summary>The kernel keeps 16 events per line by default (gpiolib-cdev, event_buffer_size 0).</summary>
        private const int QueueCapacity = 16;

        private readonly SimulatedGpioChip _chip;
        private readonly GpioRequestOptions _options;
        private readonly TimeProvider _time;
        private readonly Channel<GpioEdgeEvent> _events;
        private readonly Dictionary<int, bool> _reported = [];
        private readonly Dictionary<int, ITimer> _debouncers = [];
        private readonly Dictionary<int, uint> _sequence = [];
        private readonly Lock _gate = new();
        private readonly AtomicCounter _overflowed = new();
        private bool _disposed;

        public SimulatedLineRequest(SimulatedGpioChip chip, GpioRequestOptions options, TimeProvider time)
        {
            _chip = chip;
            _options = options;
            _time = time;
            _events = Channel.CreateBounded<GpioEdgeEvent>(
                new BoundedChannelOptions(QueueCapacity * options.Offsets.Count) { FullMode = BoundedChannelFullMode.DropOldest },
                _ => _overflowed.Increment());
        }

        public override IReadOnlyList<int> Offsets => _options.Offsets;

        public override long OverflowedEvents => _overflowed.Value;

        public override bool GetValue(int offset)
        {
            IndexOf(offset);
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _chip.GetLevel(offset) ^ _options.ActiveLow;
        }

        public override void SetValue(int offset, bool value)
        {
            IndexOf(offset);
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_options.Direction != GpioDirection.Output) throw new IOException($"{_chip.Name} line {offset}: SET_VALUES failed with EPERM; the line is an input");
            _chip.SetOutput(offset, value ^ _options.ActiveLow);
        }

        public override ValueTask<GpioEdgeEvent> ReadEdgeAsync(CancellationToken cancellationToken)
        {
            if (_options.Edges == GpioEdge.None) throw new InvalidOperationException($"{_chip.Name} lines {string.Join(", ", Offsets)} were requested without edge detection.");
            return _events.Reader.ReadAsync(cancellationToken);
        }

        /// <summary>Called by the chip (outside its lock) when an input's physical level changed.</summary>
        public void OnLevelChanged(int offset, bool level, long timestamp)
        {
            if (_options.Direction != GpioDirection.Input || _options.Edges == GpioEdge.None) return;
            lock (_gate)
            {
                if (_disposed) return;
                if (_options.Debounce <= TimeSpan.Zero)
                {
                    Report(offset, level ^ _options.ActiveLow, timestamp);
                    return;
                }
                // Kernel debounce: (re)start the period on every change; report only a level that outlived it.
                if (_debouncers.Remove(offset, out var pending)) pending.Dispose();
                _debouncers[offset] = _time.CreateTimer(_ => Settle(offset), null, _options.Debounce, Timeout.InfiniteTimeSpan);
            }
        }

        private void Settle(int offset)
        {
            lock (_gate)
            {
                if (_disposed) return;
                _debouncers.Remove(offset);
                Report(offset, _chip.GetLevel(offset) ^ _options.ActiveLow, _time.GetTimestamp());
            }
        }

        private void Report(int offset, bool logical, long timestamp)
        {
            var previous = _reported.TryGetValue(offset, out var p) ? p : !logical;
            if (previous == logical && _reported.ContainsKey(offset)) return;
            _reported[offset] = logical;
            var edge = logical ? GpioEdge.Rising : GpioEdge.Falling;
            if ((_options.Edges & edge) == 0) return;
            var sequence = _sequence[offset] = (_sequence.TryGetValue(offset, out var s) ? s : 0) + 1;
            _events.Writer.TryWrite(new GpioEdgeEvent(offset, edge, timestamp, sequence));
        }

        /// <summary>The chip went away: readers get what is queued, then the end of the stream.</summary>
        public void EndEvents() => _events.Writer.TryComplete();

        protected override void Dispose(bool disposing)
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                foreach (var timer in _debouncers.Values) timer.Dispose();
                _debouncers.Clear();
            }
            _events.Writer.TryComplete();
            _chip.Release(this);
        }
    }
}
