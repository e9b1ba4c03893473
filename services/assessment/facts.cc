// Placeholder until the facts land.
namespace chainhub::assessment {}
