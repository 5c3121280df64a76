/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The processes of the TDIR models (docs/tdir-model.md): the vCPUs' run
 * loop, one injector per SPI and the end-state check.  Included last by
 * tdir-old.pml and tdir-new.pml, after the protocol's inlines.
 */

/* The guest's steps for SPI s: acknowledge it from this vCPU's LR, or
 * write DIR for it (any vCPU may, once some vCPU acked it in EOImode=1) */
#define GUEST_SPI(s) \
	:: atomic { spi_lr[s] == me && lr_pending[s] -> guest_ack(me, s) } \
	:: atomic { dir_due[s] -> guest_dir(me, s) }

/* The EOI maintenance interrupt: an LR of this vCPU was deactivated */
#define MAINT(me, s)	(spi_lr[s] == me && !lr_pending[s] && !lr_active[s])
#if NS > 1
#define MAINT_ANY(me)	(MAINT(me, 0) || MAINT(me, 1))
#else
#define MAINT_ANY(me)	MAINT(me, 0)
#endif

proctype vcpu(byte me)
{
	bool bail;
	byte s;		/* fold, prune, flush: the SPI */
	byte tgt;	/* prune's new route */
top:
	/* IRQs on: an IPI pending on this CPU is taken (and acknowledged);
	 * check_vcpu_requests() */
	handle_requests(me);
	/* local_irq_disable(); smp_store_mb(vcpu->mode, IN_GUEST_MODE);
	 * kvm_vcpu_exit_request() backs out on a pending request;
	 * kvm_vgic_flush_hwstate() under ap_list_lock.  One step (the flush
	 * first; a request the flush raises for itself is seen here, see
	 * docs/tdir-model.md): a request raised before it is seen here, one
	 * raised later kicks (IN_GUEST_MODE). */
	atomic {
		flush(me);
		enter_mode(me);
		if
		:: REQ_PENDING(me) ->
			drain(me);
			mode[me] = OUTSIDE;
			fold(me);
			prune(me);
			bail = 1
		:: else
		fi
	};
	if
	:: bail -> bail = 0; goto top
	:: else
	fi;
	configure_tdir(me);
	/* In the guest.  A vCPU with nothing left to do idles here. */
end_guest:
	do
	GUEST_SPI(0)
#if NS > 1
	GUEST_SPI(1)
#endif
	/* exits: an IPI, the EOI maintenance interrupt of a deactivated LR,
	 * anything else (timer, host interrupt, ...) a bounded number of times */
	:: ipi[me] -> break
	:: MAINT_ANY(me) -> break
	:: atomic { spont > 0 -> spont-- }; break
	od;
	/* Out of the guest: the VMCR, with an EOImode the guest may have
	 * flipped, is saved; kvm_vgic_sync_hwstate(): tdir_clear = false (new),
	 * fold, prune; then vcpu->mode = OUTSIDE_GUEST_MODE (a release store),
	 * and local_irq_enable() at top */
	atomic { tdir[me] = 0; guest_flip(me); exit_tdir(me) };
	atomic { fold(me); prune(me) };
	atomic { drain(me); mode[me] = OUTSIDE };
	goto top
}

/* irqfd / KVM_IRQ_LINE: ROUNDS edges of SPI s, each once the previous one
 * is deactivated, to any vCPU (whatever route the guest set), or with
 * FIXED_ROUTE to vCPU s % NV. */
proctype injector(byte s)
{
	byte r, t;

	for (r : 1 .. ROUNDS) {
		atomic {
			SPI_IDLE(s) ->
#ifdef FIXED_ROUTE
			t = s % NV
#else
			select (t : 0 .. NV - 1)	/* the route the guest set */
#endif
		};
		inject(s, t);
		t = 0
	}
	inj_done++
}

/* Every execution must end here: all SPIs delivered, deactivated and
 * notified exactly once.  If the system stops anywhere else (a vCPU waiting
 * for a synchronisation that never comes, an SPI stuck active or never
 * delivered) SPIN reports an invalid end state (property 3, safety part). */
proctype monitor()
{
	byte s;

#if NS > 1
	atomic {
		inj_done == NS && SPI_IDLE(0) && SPI_IDLE(1) ->
#else
	atomic {
		inj_done == NS && SPI_IDLE(0) ->
#endif
		for (s : 0 .. NS - 1) {
			assert(acks[s] == ROUNDS && deact[s] == acks[s] && notifies[s] == deact[s])
		}
	}
}

init
{
	byte v;

	atomic {
		for (v : 0 .. NV - 1) {
			if
			:: eoimode[v] = 0
			:: eoimode[v] = 1
			fi
		}
		v = 0;
		for (v : 0 .. NV - 1) {
			run vcpu(v)
		}
		v = 0;
		for (v : 0 .. NS - 1) {
			run injector(v)
		}
		v = 0;
		run monitor();
		start_membus()
	}
}
