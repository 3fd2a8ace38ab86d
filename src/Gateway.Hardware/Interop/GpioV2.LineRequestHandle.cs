using System.Runtime.InteropServices;
using Gateway.Core.Interop;

namespace Gateway.Hardware.Interop;

internal static partial class GpioV2
{
    /// <summary>
    /// The file descriptor GPIO_V2_GET_LINE_IOCTL returns for a line request: the lines stay ours until it is closed,
    /// exactly once (SafeHandle reference counting keeps it open while the edge reader uses it).
    /// </summary>
    internal sealed class LineRequestHandle : SafeHandle
    {
        public LineRequestHandle(int fd, string description)
            : base(invalidHandleValue: -1, ownsHandle: true)
        {
            SetHandle(fd);
            Description = description;
        }

        /// <summary>e.g. <c>/dev/gpiochip0 lines 17, 27</c>, for messages.</summary>
        public string Description { get; }

        public int Fd => (int)handle;

        public override bool IsInvalid => handle == -1;

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }
}
