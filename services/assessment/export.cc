// Placeholder until the exports land.
namespace chainhub::assessment {}
