package resolvers

import (
	"strconv"
	"switchboard/graph/errs"
	"switchboard/graph/model"
	"switchboard/sources/msem"
)

func msemOperation(i int, in *model.MsemOperationInput) (msem.Operation, error) {
	field := "operations[" + strconv.Itoa(i) + "]"
	t := msem.OperationType(in.Type)
	if t.IsCustomer() {
		if in.Customer == nil {
			return msem.Operation{}, errs.BadInput(field+".customer", "%s needs a customer", in.Type)
		}
		id, err := strconv.ParseInt(in.Customer.ID, 10, 64)
		if err != nil || id <= 0 {
			return msem.Operation{}, errs.BadInput(field+".customer.id", "customer id must be a positive integer, got %q", in.Customer.ID)
		}
		c := msem.Customer{ID: id, Lastname: in.Customer.LastName, Firstname: in.Customer.FirstName, Email: in.Customer.Email}
		if t == msem.CreateCustomer {
			return msem.NewCreateCustomer(c), nil
		}
		return msem.NewUpdateCustomer(c), nil
	}
	if in.Order == nil {
		return msem.Operation{}, errs.BadInput(field+".order", "%s needs an order", in.Type)
	}
	o := msem.Order{ID: in.Order.ID, Attributes: in.Order.Attributes}
	if in.Order.CustomerID != nil {
		cid, err := strconv.ParseInt(*in.Order.CustomerID, 10, 64)
		if err != nil || cid <= 0 {
			return msem.Operation{}, errs.BadInput(field+".order.customerId", "customerId must be a positive integer, got %q", *in.Order.CustomerID)
		}
		o.CustomerID = cid
	}
	if t == msem.CreateOrder {
		return msem.NewCreateOrder(o), nil
	}
	return msem.NewUpdateOrder(o), nil
}

func msemEcho(op msem.Operation) *model.MsemOperation {
	out := &model.MsemOperation{Type: model.MsemOperationType(op.Type)}
	if c := op.Customer; c != nil {
		out.Customer = &model.Customer{
			ID: strconv.FormatInt(c.ID, 10), Source: model.CustomerSourceMseM,
			FirstName: str(c.Firstname), LastName: str(c.Lastname), Email: str(c.Email),
		}
	}
	if o := op.Order; o != nil {
		out.Order = &model.MsemOrder{ID: o.ID, Attributes: o.Attributes}
		if o.CustomerID != 0 {
			out.Order.CustomerID = id(int(o.CustomerID))
		}
	}
	return out
}
