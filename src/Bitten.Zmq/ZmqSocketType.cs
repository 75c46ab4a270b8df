namespace Bitten.Zmq;

/// <summary>Values match libzmq's ZMQ_PAIR .. ZMQ_PUSH so they pass straight to zmq_socket.</summary>
public enum ZmqSocketType
{
    Pair = 0,
    Pub = 1,
    Sub = 2,
    Req = 3,
    Rep = 4,
    Dealer = 5,
    Router = 6,
    Pull = 7,
    Push = 8,
}
