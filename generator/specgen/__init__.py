"""specgen: validate AsyncAPI event specs and generate typed NATS JetStream packages."""

__version__ = "0.2.0"
